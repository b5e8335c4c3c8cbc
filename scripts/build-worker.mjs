// Builds the Worker wrangler uploads (wrangler.toml `main`, `no_bundle`): two modules in src/generated/, each
// with its source map. index.js (src/index.ts: entry points, the RateBudget Durable Object) is what V8 compiles
// at Worker startup; worker-lazy.js (src/worker-lazy.ts: the app, the Workflow engines, the intake consumer,
// maintenance) is imported by index.js on first use, so V8 compiles it then (docs/startup.md). wrangler does
// not bundle: with its own bundling it uploads only the entry's source map, here it uploads every module's
// (each file names its map with `//# sourceMappingURL`). Settings as wrangler's bundler had them: the zod
// alias, `cloudflare:*` and `node:*` left to workerd, minified, names kept.
// Run by wrangler's [build] step (`wrangler dev` rebuilds on change, `wrangler deploy` before upload), by
// `npm install`, `npm start` and the vitest configs. Files are written only when their text changes (no
// needless reloads under `wrangler dev`).
// `node scripts/build-worker.mjs --one-bundle <dir>` writes the layout before the split instead (one index.js
// that holds the lazy part inline, as wrangler bundled it on main): bench/startup.mjs compares the two.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
/** The specifier index.js imports the lazy module by (module names are paths under src/generated/). */
const LAZY_SPECIFIER = "./worker-lazy.js";

/**
 * wrangler.toml's former `[alias] "zod"`: the bare specifier "zod" only (an exact alias; esbuild's own `alias`
 * would also remap "zod/v4/core", which src/zod-english/ itself imports from the real package). Drops zod's
 * 62 translations of error messages (-39 KiB gzip; test/unit/zod-english.test.ts keeps the shapes equal).
 */
const zodEnglish = {
  name: "zod-english",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^zod$/ }, () => ({ path: path.join(root, "src/zod-english/index.ts") }));
  },
};

/** The lazy module stays a module of its own: index.js imports it at run time, esbuild does not inline it. */
const lazyExternal = {
  name: "lazy-external",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/worker-lazy\.js$/ }, () => ({ path: LAZY_SPECIFIER, external: true }));
  },
};

/**
 * Bundles `entry` (under src/) to `outDir`/`name` with its source map. esbuild writes the map's sources
 * relative to the map ("../index.ts"), which wrangler's upload strips of their "../" ("index.ts", the src/ lost).
 * Here they are repository-relative ("src/index.ts", "node_modules/hono/…") with `sourceRoot` leading from the
 * map back to the repository ("../../"): local tools resolve the files, and the upload (which drops a relative
 * sourceRoot's "../") names them as in the repository.
 */
async function bundle(entry, outDir, name, define) {
  const outFile = path.join(outDir, name);
  const result = await build({
    entryPoints: [path.join(root, entry)],
    outfile: outFile,
    write: false,
    bundle: true,
    format: "esm",
    // As wrangler builds for workerd: esbuild's browser platform, the "workerd" and "worker" export conditions
    // first, the user agent workerd reports (nodejs_compat at this compatibility date).
    platform: "browser",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    define: { "navigator.userAgent": '"Cloudflare-Workers"', ...define },
    external: ["cloudflare:*", "node:*"],
    plugins: [zodEnglish, lazyExternal],
    minify: true,
    keepNames: true,
    sourcemap: "external",
    sourcesContent: true,
    charset: "utf8",
    legalComments: "none",
    logLevel: "warning",
  });
  const files = [];
  for (const output of result.outputFiles) {
    let text = output.text;
    if (output.path === outFile) text += `\n//# sourceMappingURL=${name}.map\n`;
    else {
      const map = JSON.parse(text);
      map.sources = map.sources.map((source) =>
        path.relative(root, path.resolve(outDir, source)).split(path.sep).join("/"),
      );
      map.sourceRoot = `${path.relative(outDir, root).split(path.sep).join("/")}/`;
      text = JSON.stringify(map);
    }
    files.push({ path: output.path, text });
  }
  return files;
}

const oneBundle = process.argv.indexOf("--one-bundle");
const outDir =
  oneBundle >= 0 ? path.resolve(process.argv[oneBundle + 1] ?? "dist/one-bundle") : path.join(root, "src/generated");
const files =
  oneBundle >= 0
    ? // No define: src/index.ts takes its source branch, `import("./worker-lazy")`, which esbuild inlines.
      await bundle("src/index.ts", outDir, "index.js", {})
    : [
        ...(await bundle("src/index.ts", outDir, "index.js", {
          CLIENTFLOW_LAZY_MODULE: JSON.stringify(LAZY_SPECIFIER),
        })),
        ...(await bundle("src/worker-lazy.ts", outDir, "worker-lazy.js", {})),
      ];

mkdirSync(outDir, { recursive: true });
for (const file of files) {
  if (!existsSync(file.path) || readFileSync(file.path, "utf8") !== file.text) writeFileSync(file.path, file.text);
}
