// What the local platform charges for the two operations a journey is made of (issue 13's burst analysis): one
// durable Workflow step (`step.do`) and one D1 round trip, each measured alone under `wrangler dev`, side by side
// in one run with a plain request to the same Worker (bench/fixtures/platform-cost/). CPU is read from /proc for
// wrangler and its workerd processes (bench/cpu.mjs). A journey's CPU is roughly its steps and its D1 round trips
// times these figures (docs/rate-limits.md). PLATFORM_STEPS (default 1,000 steps: 20 instances × 50),
// PLATFORM_STATEMENTS and PLATFORM_REQUESTS (default 2,000 each). No thresholds: a measurement, not a test.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { devServerEnv } from "../scripts/lib/dev-server-env.mjs";
import { devServerArgs } from "../test/e2e/wrangler-dev.ts";
import { cpuBetween, cpuLine, cpuReading } from "./cpu.mjs";
import { root, round, writeResult } from "./result.mjs";

const INSTANCES = 20;
const STEPS = Math.max(1, Math.round(Number(process.env.PLATFORM_STEPS ?? 1000) / INSTANCES));
const STATEMENTS = Number(process.env.PLATFORM_STATEMENTS ?? 2000);
const REQUESTS = Number(process.env.PLATFORM_REQUESTS ?? 2000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const port = await freePort();
const state = mkdtempSync(path.join(os.tmpdir(), "platform-cost-"));
const child = spawn(
  process.execPath,
  [
    path.join(root, "node_modules/wrangler/bin/wrangler.js"),
    ...devServerArgs(path.join(root, "bench/fixtures/platform-cost/wrangler.toml"), port, state),
    "--show-interactive-dev-session=false",
  ],
  {
    env: devServerEnv(process.env, {
      WRANGLER_SEND_METRICS: "false",
      XDG_CONFIG_HOME: path.join(root, ".wrangler/config"),
    }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  },
);
let output = "";
child.stdout.on("data", (d) => {
  output += d;
});
child.stderr.on("data", (d) => {
  output += d;
});
const stop = () => {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  rmSync(state, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stop();
    process.exit(130);
  });
}

const base = `http://127.0.0.1:${port}`;
async function call(route, init) {
  const response = await fetch(`${base}${route}`, init);
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Starts `instances` Workflow instances of `steps` steps each and waits until all are complete. */
async function runSteps(instances, steps) {
  const ids = await call(`/steps?instances=${instances}&steps=${steps}`, { method: "POST" });
  for (;;) {
    await sleep(2000);
    const { done } = await call("/done", { method: "POST", body: JSON.stringify(ids) });
    if (done === ids.length) return;
  }
}

try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 120) throw new Error(`wrangler dev did not start:\n${output}`);
    await sleep(500);
  }
  // Warm up all three paths (module load, the database file, the Workflow engine).
  await call("/d1?n=20", { method: "POST" });
  await runSteps(2, 5);
  for (let i = 0; i < 50; i++) await fetch(`${base}/`).then((r) => r.text());

  let before = cpuReading();
  for (let i = 0; i < REQUESTS; i++) await fetch(`${base}/`).then((r) => r.text());
  const requests = cpuBetween(before, cpuReading());

  before = cpuReading();
  await call(`/d1?n=${STATEMENTS}`, { method: "POST" });
  const statements = cpuBetween(before, cpuReading());

  before = cpuReading();
  await runSteps(INSTANCES, STEPS);
  const steps = cpuBetween(before, cpuReading());

  if (!requests || !statements || !steps) throw new Error("CPU readings need Linux /proc");
  const per = (cpu, count) => (cpu.seconds * 1000) / count;
  const request = per(requests, REQUESTS);
  const statement = per(statements, STATEMENTS);
  const step = per(steps, INSTANCES * STEPS);
  console.log(`requests    ${cpuLine(requests, REQUESTS, "request")}`);
  console.log(`D1          ${cpuLine(statements, STATEMENTS, "statement")}`);
  console.log(`steps       ${cpuLine(steps, INSTANCES * STEPS, "step")}`);
  const against = "a plain request to the same Worker";
  writeResult("platform-cost", {
    requests: REQUESTS,
    statements: STATEMENTS,
    steps: INSTANCES * STEPS,
    cpu: { requests, statements, steps },
    summary: [
      {
        measure: "Local platform (wrangler dev): CPU per durable Workflow step (step.do)",
        value: round(step, 2),
        unit: "ms",
        against,
        baseline: round(request, 2),
        ratio: round(step / request, 1),
      },
      {
        measure: "Local platform (wrangler dev): CPU per D1 round trip (one upsert)",
        value: round(statement, 2),
        unit: "ms",
        against,
        baseline: round(request, 2),
        ratio: round(statement / request, 1),
      },
    ],
  });
} finally {
  stop();
}
