// The Worker's own socket under `wrangler dev`, behind wrangler's dev proxy. `wrangler dev` runs two workerd
// processes: the proxy, listening on the dev server's port (the URL `npm start` prints), which forwards every request
// to the Worker's runtime, listening on a port of its own. The proxy exists only in local development (it holds
// requests while a changed Worker reloads); a deployed Worker has none. The benches use this socket to measure the
// Worker with and without the proxy, side by side. Linux only (/proc): null elsewhere.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { cpuReading } from "./cpu.mjs";

/** Listening TCP sockets on 127.0.0.1 (IPv4): inode → port. */
function listeningSockets() {
  const sockets = new Map();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== "0A") continue; // 0A: LISTEN
    const [, portHex] = fields[1].split(":");
    sockets.set(fields[9], Number.parseInt(portHex, 16));
  }
  return sockets;
}

/** The ports the process `pid` listens on. */
function portsOf(pid, sockets) {
  const ports = [];
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && sockets.has(inode)) ports.push(sockets.get(inode));
      } catch {
        // the descriptor closed meanwhile
      }
    }
  } catch {
    // the process ended meanwhile
  }
  return ports;
}

/**
 * The URL of the Worker's runtime socket behind the dev proxy at `proxyUrl`: among the ports the workerd
 * processes this bench started listen on (the proxy's own excluded), the one that answers `probe` (a path) with
 * 200 and the same body the proxy gives. Null when none does (or off Linux).
 */
export async function runtimeUrl(proxyUrl, probe = "/health") {
  if (process.platform !== "linux") return null;
  const proxyPort = Number(new URL(proxyUrl).port);
  const expected = await fetch(`${proxyUrl}${probe}`).then((r) => r.text());
  const sockets = listeningSockets();
  const workerds = [...(cpuReading()?.processes.values() ?? [])].filter((p) => p.comm === "workerd");
  for (const port of workerds.flatMap((p) => portsOf(p.pid, sockets))) {
    if (port === proxyPort) continue;
    const url = `http://127.0.0.1:${port}`;
    const answer = await fetch(`${url}${probe}`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => (r.status === 200 ? r.text() : null),
      () => null,
    );
    if (answer === expected) return url;
  }
  return null;
}
