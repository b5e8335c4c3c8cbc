// Bundles the part of the Worker loaded on first use (src/worker-lazy.ts: the app, the Workflow engines,
// the intake consumer, maintenance) into src/generated/worker-lazy.js, which wrangler uploads as an additional
// module (wrangler.toml `find_additional_modules`, `rules`) instead of inlining it into src/index.ts's bundle:
// V8 then compiles it on the first request or run, not at Worker startup (docs/startup.md). Same settings as
// wrangler's own bundling: the zod alias of wrangler.toml, `cloudflare:*` and `node:*` left to workerd,
// minified, with a source map. Run by wrangler's [build] step (so `wrangler dev` rebuilds on change) and by
// the tools that build the Worker. Files are written only when their text changes (no needless reloads).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const outFile = path.join(root, "src/generated/worker-lazy.js");
// The module name workerd gives it: wrangler names additional modules by their path under src/ (base_dir).
const moduleName = "generated/worker-lazy.js";

/**
 * wrangler.toml `[alias] "zod"`: the bare specifier "zod" only (wrangler's alias is exact; esbuild's own
 * `alias` would also remap "zod/v4/core", which src/zod-english/ itself imports from the real package).
 */
const zodEnglish = {
  name: "zod-english",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^zod$/ }, () => ({ path: path.join(root, "src/zod-english/index.ts") }));
  },
};

const result = await build({
  entryPoints: [path.join(root, "src/worker-lazy.ts")],
  outfile: outFile,
  write: false,
  bundle: true,
  format: "esm",
  // As wrangler builds for workerd: esbuild's browser platform, the "workerd" and "worker" export conditions
  // first, the user agent workerd reports (nodejs_compat at this compatibility date).
  platform: "browser",
  target: "es2024",
  conditions: ["workerd", "worker", "browser"],
  define: { "navigator.userAgent": '"Cloudflare-Workers"' },
  external: ["cloudflare:*", "node:*"],
  plugins: [zodEnglish],
  minify: true,
  keepNames: true,
  sourcemap: "external",
  sourcesContent: true,
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
});

mkdirSync(path.dirname(outFile), { recursive: true });
for (const output of result.outputFiles) {
  let text = output.text;
  if (output.path === outFile) text += `\n//# sourceMappingURL=${path.basename(moduleName)}.map\n`;
  if (!existsSync(output.path) || readFileSync(output.path, "utf8") !== text) writeFileSync(output.path, text);
}
