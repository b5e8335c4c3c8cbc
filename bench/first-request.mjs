// The first request after a cold start, for the Worker's two layouts side by side (used by bench/startup.mjs).
// Since the split (docs/startup.md) the app's module is compiled on the first request, not at startup: this
// measures what that moves onto the first request. Each run starts the Worker afresh in Miniflare (the
// runtime `wrangler dev` uses, wrangler's own copy, with wrangler.toml's bindings), waits until it is ready,
// then times GET /health twice: the first request (cold isolate: the app loads) and the second (warm).
// Layouts: "split", the upload as built (src/generated/index.js + worker-lazy.js), and "one bundle", the
// layout before the split (main 6a280ed: one index.js holding the lazy part inline, as wrangler bundled it),
// built from the same sources by `scripts/build-worker.mjs --one-bundle`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { root } from "./result.mjs";

/** The Miniflare that wrangler runs `wrangler dev` on (its own dependency, not another copy). */
const { Miniflare, convertV4MiniflareOptions } = createRequire(createRequire(import.meta.url).resolve("wrangler"))(
  "miniflare",
);

/**
 * A wrangler.toml for a built layout in `dir`: the project's, with `main` at dir/index.js and without the
 * [build] step (the layout is built already). `wrangler deploy --dry-run` and Miniflare read it.
 */
export function layoutConfig(dir) {
  const config = readFileSync(path.join(root, "wrangler.toml"), "utf8")
    .replace(/^main = "[^"]+"$/m, `main = "${path.join(dir, "index.js")}"`)
    .replace(/^\[build\]\n(?:[^\n[]+\n)+/m, "")
    .replace('migrations_dir = "migrations"', `migrations_dir = "${path.join(root, "migrations")}"`);
  const file = path.join(dir, "wrangler.toml");
  writeFileSync(file, config);
  return file;
}

/** Builds the one-bundle layout (main's) into `dir`; returns its config (layoutConfig). */
export function buildOneBundle(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [path.join(root, "scripts/build-worker.mjs"), "--one-bundle", dir], { stdio: "pipe" });
  return layoutConfig(dir);
}

/** One cold start of the layout in `dir`: ms until ready, first and second GET /health. */
async function coldRun(config, dir) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const modules = ["index.js", "worker-lazy.js"]
    .filter((name) => existsSync(path.join(dir, name)))
    .map((name) => ({ type: "ESModule", path: path.join(dir, name), contents: readFileSync(path.join(dir, name)) }));
  const started = performance.now();
  const mf = new Miniflare(
    convertV4MiniflareOptions({ workers: [{ ...workerOptions, name: "clientflow", modulesRoot: dir, modules }] }),
  );
  try {
    await mf.ready;
    const ready = performance.now();
    const timed = async () => {
      const at = performance.now();
      const response = await mf.dispatchFetch("http://localhost/health");
      await response.text();
      if (response.status !== 200) throw new Error(`GET /health answered ${response.status} (${dir})`);
      return performance.now() - at;
    };
    const first = await timed();
    const second = await timed();
    return { readyMs: ready - started, firstMs: first, secondMs: second };
  } finally {
    await mf.dispose();
  }
}

/**
 * `rounds` cold runs of each layout ({ name: { config, dir } }), alternating so that a slower stretch of the
 * shared machine weighs on all alike. Returns each layout's samples (ms) of ready, first and second request.
 */
export async function measureFirstRequests(layouts, rounds) {
  const samples = Object.fromEntries(Object.keys(layouts).map((name) => [name, []]));
  const names = Object.keys(layouts);
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      samples[name].push(await coldRun(layouts[name].config, layouts[name].dir));
    }
  }
  return samples;
}
