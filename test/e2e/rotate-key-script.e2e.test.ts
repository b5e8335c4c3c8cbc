import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { report, rotate } from "../../scripts/rotate-key.mjs";

/**
 * A stand-in for the Worker's POST /operator/rotate-key over `rows` sealed
 * values in one table, `limit` per batch; it fails the call numbered `failAt`.
 */
function fakeWorker(rows: number, failAt = 0) {
  const calls: { cursor: { after: number } | null; limit: number }[] = [];
  const fetchImpl = async (_url: string, init: { body: string; headers: Record<string, string> }) => {
    const body = JSON.parse(init.body);
    calls.push(body);
    if (init.headers.authorization !== "Bearer op-token") return new Response("{}", { status: 401 });
    if (calls.length === failAt) return new Response("worker restarted", { status: 503 });
    const after = body.cursor?.after ?? 0;
    const done = Math.min(rows, after + body.limit);
    const count = done - after;
    return Response.json({
      counts: { connections: { resealed: count, current: 0, unreadable: 0 } },
      unreadable: [],
      carried: after === 0 ? 6 : 0,
      next: done < rows ? { table: "connections", after: done } : null,
    });
  };
  return { calls, fetchImpl };
}

const quiet = { log: () => {}, table: () => {} };

describe("npm run rotate-key (scripts/rotate-key.mjs)", () => {
  it("calls the route batch by batch until done, resumes from its saved cursor after an interruption", async () => {
    const progressFile = path.join(mkdtempSync(path.join(tmpdir(), "rotate-key-")), "progress.json");
    const args = { url: "https://clientflow.test", batch: 2, restart: false, progressFile };
    const worker = fakeWorker(5, 2);

    await expect(rotate(args, "op-token", worker.fetchImpl, quiet)).rejects.toThrow(/answered 503/);
    // The first batch is recorded with its cursor.
    const saved = JSON.parse(readFileSync(progressFile, "utf8"));
    expect(saved).toMatchObject({ url: args.url, cursor: { table: "connections", after: 2 } });

    const state = await rotate(args, "op-token", worker.fetchImpl, quiet);
    expect(worker.calls.map((c) => c.cursor?.after ?? 0)).toEqual([0, 2, 2, 4]);
    expect(state.totals).toEqual({ connections: { resealed: 5, current: 0, unreadable: 0 } });
    expect(existsSync(progressFile)).toBe(false);
    expect(report(state, quiet)).toBe(0);
  });

  it("says ENCRYPTION_KEY_PREVIOUS can go only when a run found nothing under it", async () => {
    const progressFile = path.join(mkdtempSync(path.join(tmpdir(), "rotate-key-")), "progress.json");
    const args = { url: "https://clientflow.test", batch: 50, progressFile };
    const printed = (state: Parameters<typeof report>[0]) => {
      const lines: string[] = [];
      report(state, { log: (...parts: unknown[]) => lines.push(parts.join(" ")), table: () => {} });
      return lines.join("\n");
    };
    const first = await rotate(args, "op-token", fakeWorker(3).fetchImpl, quiet);
    expect(first.carried).toBe(6);
    const firstReport = printed(first);
    expect(firstReport).toContain("carried forward from ENCRYPTION_KEY_PREVIOUS: 6");
    expect(firstReport).toContain("Values this run found under ENCRYPTION_KEY_PREVIOUS: 3");
    expect(firstReport).not.toContain("can be removed");
    const confirming = printed(await rotate(args, "op-token", fakeWorker(0).fetchImpl, quiet));
    expect(confirming).toContain("Values this run found under ENCRYPTION_KEY_PREVIOUS: 0");
    expect(confirming).toContain("it can be removed now");
  });

  it("stops with the Worker's answer when the token is refused", async () => {
    const progressFile = path.join(mkdtempSync(path.join(tmpdir(), "rotate-key-")), "progress.json");
    const worker = fakeWorker(3);
    await expect(
      rotate({ url: "https://clientflow.test", batch: 50, progressFile }, "wrong", worker.fetchImpl, quiet),
    ).rejects.toThrow(/answered 401/);
  });
});
