// Where the burst bench's Workers keep their local state (BENCH_STATE): `ram` (default where the machine has
// /dev/shm, a RAM-backed tmpfs) or `disk` (the system's temporary folder, as before session 32).
//
// Why: under `wrangler dev` every D1 write and every Workflow step commits to a SQLite file of the Worker's own
// workerd process, and SQLite syncs each commit to disk (fsync) on that process's one thread. A 1,000-deal burst
// writes about 300 MB of Workflow state per Worker. Deployed, D1 and the Workflow engine store outside the Worker:
// none of that syncing is the Worker's. Measured side by side in docs/rate-limits.md ("An action's row opens with its
// connection's read, and the bench's state on a RAM disk"). The state is throwaway either way: each Worker's
// scratch folder is removed once it stops.
import { accessSync, constants } from "node:fs";

const RAM = "/dev/shm";

/** The folder the scratch folders go in (undefined: the system's temporary folder) and how the report names it. */
export function benchStateRoot() {
  const wanted = process.env.BENCH_STATE ?? "ram";
  if (wanted !== "ram" && wanted !== "disk") throw new Error(`BENCH_STATE is "ram" or "disk", not "${wanted}"`);
  if (wanted === "ram") {
    try {
      accessSync(RAM, constants.W_OK);
      return { root: RAM, label: `RAM (${RAM})` };
    } catch {
      // no RAM disk here: the disk it is, and the report says so
    }
  }
  return { root: undefined, label: "disk (the system's temporary folder)" };
}
