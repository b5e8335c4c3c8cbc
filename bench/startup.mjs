// Startup CPU of the Worker against a bare Hono Worker (bench/fixtures/bare-hono), both built the same way
// (`wrangler deploy --dry-run`, minified, same compatibility date and flags) and profiled with
// `wrangler check startup` in the same run, alternating, STARTUP_ROUNDS times each (default 7). Startup CPU
// of one run is the sum of the profile's non-idle sample intervals (garbage collection and "(program)"
// included, "(idle)" excluded), as wrangler's own "Active" figure; the median over the rounds whose profile
// saw the startup is reported (the bare Worker's profile has a handful of samples, so a run reads either ~1
// or ~17 ms depending on whether its compile gap lands on a busy sample; see `seen`). Also lists where the app's
// module-load time goes, by source file (through the bundle's source map), so a regression names its cause.
// Since the split into an entry and a module loaded on first use (docs/startup.md), the layout before it
// (main's: one bundle, `scripts/build-worker.mjs --one-bundle`) is profiled in the same loop, and the first
// request after a cold start is timed for both layouts (bench/first-request.mjs): what the split moves there.
// Prints a table, writes it to bench/results/startup.json. No thresholds: a measurement, not a test.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildOneBundle, layoutConfig, measureFirstRequests } from "./first-request.mjs";
import { root, round as round1, writeResult } from "./result.mjs";

const rounds = Number(process.env.STARTUP_ROUNDS ?? 7);
const work = mkdtempSync(path.join(os.tmpdir(), "clientflow-startup-"));
const env = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(root, ".wrangler/config"),
  WRANGLER_LOG_PATH: path.join(root, ".wrangler/logs"),
  WRANGLER_SEND_METRICS: "false",
};

/** Runs wrangler with the project's Node (wrangler needs ≥ 22) and returns its output. */
function wrangler(args) {
  return execFileSync(process.execPath, [path.join(root, "node_modules/wrangler/bin/wrangler.js"), ...args], {
    cwd: root,
    env,
    stdio: "pipe",
    encoding: "utf8",
  });
}

/**
 * Builds a Worker once as `wrangler deploy` would; returns its upload bundle, its output folder and where
 * its modules' source maps are (`maps`: wrangler writes its own bundle's map to the output folder; a Worker
 * it uploads unbundled keeps them beside its built modules).
 */
function build(name, config, maps = path.join(work, name)) {
  const bundle = path.join(work, `${name}.bundle`);
  const outdir = path.join(work, name);
  wrangler(["deploy", "--dry-run", "--config", config, "--outfile", bundle, "--outdir", outdir]);
  return { name, bundle, outdir, maps };
}

/**
 * Profiles one startup of a built Worker; returns the parsed CPU profile. wrangler gives up on a profile
 * after 10 s, which a busy shared machine can reach: such a run is tried again (twice at most), not counted.
 */
function profile(worker, round, attempt = 1) {
  const outfile = path.join(work, `${worker.name}-${round}.cpuprofile`);
  try {
    wrangler(["check", "startup", "--worker", worker.bundle, "--outfile", outfile]);
  } catch (error) {
    if (attempt > 2 || !String(error.stderr).includes("timed out")) throw error;
    console.error(`${worker.name} round ${round}: profiling timed out, trying again`);
    return profile(worker, round, attempt + 1);
  }
  return JSON.parse(readFileSync(outfile, "utf8"));
}

/** Startup CPU in ms: the time of every sample not spent idle. */
function activeMs(cpuProfile) {
  const idle = new Set(cpuProfile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let micros = 0;
  cpuProfile.samples.forEach((id, i) => {
    if (!idle.has(id)) micros += cpuProfile.timeDeltas[i] ?? 0;
  });
  return micros / 1000;
}

/**
 * The modules of a built Worker: its entry (index.js) and, split, the module it loads on first use
 * (worker-lazy.js, scripts/build-worker.mjs). Each with its module name (a profile frame's url ends with it),
 * code and source map.
 */
function moduleFiles(worker) {
  return ["index.js", "worker-lazy.js"]
    .filter((name) => existsSync(path.join(worker.outdir, name)))
    .map((name) => ({ name, code: path.join(worker.outdir, name), map: path.join(worker.maps, `${name}.map`) }));
}

/**
 * Startup time (ms, mean per run) by the app file that caused it: for each sample, the innermost frame that
 * maps (through the bundle's source map) to Clientflow's own code, else the package the sample ran in.
 */
function byCause(profiles, worker) {
  const maps = moduleFiles(worker).map(({ name, map }) => ({
    name,
    map: new SourceMap(JSON.parse(readFileSync(map, "utf8"))),
  }));
  const sourceOf = (frame) => {
    const module = maps.find(({ name }) => frame.url.endsWith(name));
    if (!module || frame.lineNumber < 0) return null;
    const source = module.map.findEntry(frame.lineNumber, frame.columnNumber)?.originalSource;
    return source ? source.replace(/^.*?\/((node_modules|src|integrations|webhooks)\/)/, "$1") : null;
  };
  const totals = new Map();
  for (const cpuProfile of profiles) {
    const nodes = new Map(cpuProfile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of cpuProfile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    cpuProfile.samples.forEach((id, i) => {
      const leaf = nodes.get(id);
      if (!leaf || leaf.callFrame.functionName === "(idle)") return;
      let cause = null;
      for (let n = leaf; n && !cause; n = nodes.get(parent.get(n.id))) {
        const source = sourceOf(n.callFrame);
        if (source && !source.startsWith("node_modules/")) cause = source;
      }
      if (!cause) {
        const package_ = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(sourceOf(leaf.callFrame) ?? "")?.[1];
        cause = package_ ? `${package_} (module load)` : leaf.callFrame.functionName || leaf.callFrame.url;
      }
      totals.set(cause, (totals.get(cause) ?? 0) + (cpuProfile.timeDeltas[i] ?? 0) / 1000 / profiles.length);
    });
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const bare = build("bare-hono", path.join(root, "bench/fixtures/bare-hono/wrangler.toml"));
const app = build("clientflow", path.join(root, "wrangler.toml"), path.join(root, "src/generated"));
const oneBundleDir = path.join(work, "one-bundle-src");
const one = build("one-bundle", buildOneBundle(oneBundleDir), oneBundleDir);
const samples = { [bare.name]: [], [app.name]: [], [one.name]: [] };
const appProfiles = [];
for (let round = 0; round < rounds; round++) {
  // In turn, each first once, so that a slower stretch of the shared machine weighs on all alike.
  const order = [bare, app, one];
  for (const worker of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
    const cpuProfile = profile(worker, round);
    samples[worker.name].push(activeMs(cpuProfile));
    if (worker === app) appProfiles.push(cpuProfile);
  }
}
// The first request of a cold Worker, split (the upload as built) against one bundle, in Miniflare.
const firstRuns = await measureFirstRequests(
  {
    split: { config: layoutConfig(app.outdir), dir: app.outdir },
    oneBundle: { config: path.join(oneBundleDir, "wrangler.toml"), dir: oneBundleDir },
  },
  rounds,
);
const firstMs = (name, field) => median(firstRuns[name].map((run) => run[field]));

/**
 * The runs whose profile saw the startup: a run under a tenth of the Worker's largest is one whose few
 * samples all landed on "(idle)" while the script compiled (the bare Worker reads ~0–1 ms in about a third
 * of its runs), not a faster startup.
 */
const seen = (values) => values.filter((v) => v >= Math.max(...values) / 10);
const bareMs = median(seen(samples[bare.name]));
const appMs = median(seen(samples[app.name]));
const oneMs = median(seen(samples[one.name]));
const missed = (name) => samples[name].length - seen(samples[name]).length;
const ratio = round1(appMs / bareMs, 2);
const oneRatio = round1(oneMs / bareMs, 2);
const firstRatio = round1(firstMs("split", "firstMs") / firstMs("oneBundle", "firstMs"), 2);
/** The uploaded Worker's size as `wrangler deploy` would upload it, every module (scripts/bundle-size.mjs). */
const gzipKiB = (worker) =>
  moduleFiles(worker).reduce((sum, { code }) => sum + gzipSync(readFileSync(code)).length, 0) / 1024;
const appKiB = round1(gzipKiB(app));
const result = {
  summary: [
    {
      measure: "Worker bundle (wrangler deploy --dry-run), gzip",
      value: appKiB,
      unit: "KiB",
      against: "bare Hono Worker",
      baseline: round1(gzipKiB(bare)),
      target: "≤ 300 KiB",
      met: appKiB <= 300,
    },
    {
      measure: "Worker startup CPU (wrangler check startup)",
      value: round1(appMs),
      unit: "ms",
      against: "bare Hono Worker",
      baseline: round1(bareMs),
      ratio,
      target: "≤ 2×",
      met: ratio <= 2,
    },
    {
      measure: "Worker startup CPU, one bundle as on main (wrangler check startup)",
      value: round1(oneMs),
      unit: "ms",
      against: "bare Hono Worker",
      baseline: round1(bareMs),
      ratio: oneRatio,
    },
    {
      measure: "First request after a cold start, GET /health (Miniflare)",
      value: round1(firstMs("split", "firstMs")),
      unit: "ms",
      against: "one bundle as on main",
      baseline: round1(firstMs("oneBundle", "firstMs")),
      ratio: firstRatio,
    },
  ],
  rounds,
  missedRuns: { bareHono: missed(bare.name), clientflow: missed(app.name), oneBundle: missed(one.name) },
  startupCpuMs: { bareHono: round1(bareMs), clientflow: round1(appMs), oneBundle: round1(oneMs) },
  ratio,
  samplesMs: {
    bareHono: samples[bare.name].map((v) => round1(v)),
    clientflow: samples[app.name].map((v) => round1(v)),
    oneBundle: samples[one.name].map((v) => round1(v)),
  },
  // Medians (ms) over the cold runs, then every run: until ready, first GET /health, second GET /health.
  firstRequestMs: Object.fromEntries(
    ["split", "oneBundle"].map((name) => [
      name,
      {
        ready: round1(firstMs(name, "readyMs")),
        first: round1(firstMs(name, "firstMs")),
        second: round1(firstMs(name, "secondMs")),
      },
    ]),
  ),
  firstRequestSamplesMs: Object.fromEntries(
    ["split", "oneBundle"].map((name) => [name, firstRuns[name].map((run) => round1(run.firstMs))]),
  ),
  appStartupByCauseMs: Object.fromEntries(byCause(appProfiles, app).map(([file, ms]) => [file, round1(ms)])),
};

console.log(`startup CPU (wrangler check startup), median of ${rounds} alternating rounds, same run:`);
console.log(
  `  bare Hono Worker  ${bareMs.toFixed(1)} ms  [${result.samplesMs.bareHono.join(", ")}]  (${missed(bare.name)} missed)`,
);
console.log(
  `  Clientflow        ${appMs.toFixed(1)} ms  [${result.samplesMs.clientflow.join(", ")}]  (${missed(app.name)} missed)`,
);
console.log(
  `  one bundle (main) ${oneMs.toFixed(1)} ms  [${result.samplesMs.oneBundle.join(", ")}]  (${missed(one.name)} missed)`,
);
console.log(`  ratio             ${result.ratio}× (target ≤ 2×); one bundle ${oneRatio}×`);
console.log(`first request after a cold start (GET /health, Miniflare), median of ${rounds} cold runs each:`);
for (const name of ["split", "oneBundle"]) {
  const { ready, first, second } = result.firstRequestMs[name];
  const label = name === "split" ? "split (entry + lazy module)" : "one bundle (main's layout)";
  console.log(
    `  ${label.padEnd(28)} first ${first} ms [${result.firstRequestSamplesMs[name].join(", ")}], second ${second} ms, ready after ${ready} ms`,
  );
}
console.log(`  ratio split / one bundle    ${firstRatio}×`);
console.log("Clientflow startup by cause (ms, mean per run; the innermost own file on the stack):");
for (const [file, ms] of Object.entries(result.appStartupByCauseMs))
  console.log(`  ${ms.toFixed(1).padStart(6)}  ${file}`);

writeResult("startup", result);
rmSync(work, { recursive: true, force: true });
