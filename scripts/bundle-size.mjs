// Builds the Worker exactly as `wrangler deploy` would (--dry-run), then
// checks it against the bundle budget: gzip size, and none of the SDKs that
// are too heavy for a Worker (see shared/RECIPES.md). Prints the largest
// packages so a regression names its cause.
import path from "node:path";
import { dryRunUpload } from "./lib/upload-form.mjs";

// The Worker is minified (scripts/build-worker.mjs; wrangler's `minify` before the split): 306 KiB gzip with
// the editor, the email renderer and the account checks (436 KiB unminified), 318 KiB once src/index.ts loaded the app and the
// Workflow engines on first use (the bundler then wraps each of ~600 modules in an initialiser and turns
// ~1,900 import edges into init calls: +11.5 KiB gzip for a startup 3× cheaper, bench/startup.mjs), 278 KiB
// since zod is bundled without its translations (the zod alias, src/zod-english/), less again
// without the Stripe SDK's runtime. The budget is the performance issue's 300 KiB. Workers allow 3 MiB gzip
// (free plan); the budget keeps startup cheap.
const BUDGET_GZIP_KIB = 300;
// stripe: the Worker calls Stripe through its own typed fetch client (integrations/stripe/client.ts) and
// imports the SDK for its types only (`import type`), which the bundle must not contain.
const FORBIDDEN = ["googleapis", "@hubspot/api-client", "google-auth-library", "stripe"];

const root = path.resolve(import.meta.dirname, "..");
// Every module of the upload (src/generated/index.js, the entry, and worker-lazy.js, the part it loads on
// first use: scripts/build-worker.mjs, docs/startup.md) with the source maps wrangler uploads beside them.
const { modules, maps } = await dryRunUpload(root);
const rawKiB = modules.reduce((sum, module) => sum + module.code.length, 0) / 1024;
// Gzip per module, summed: how the upload's size is counted module by module.
const gzipKiB = modules.reduce((sum, module) => sum + module.gzipBytes, 0) / 1024;

const byPackage = new Map();
const sources = [];
for (const module of modules) {
  const map = maps.get(`${module.name}.map`);
  // upload_source_maps: each module's stack traces are mapped back to the repository's files.
  if (!map?.sources.some((source) => /^src\//.test(source))) {
    console.error(
      `the upload has no source map naming src/ files for ${module.name} (wrangler.toml upload_source_maps)`,
    );
    process.exit(1);
  }
  map.sources.forEach((source, i) => {
    sources.push(source);
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    const name = match ? match[1] : "(clientflow)";
    byPackage.set(name, (byPackage.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 0));
  });
}
const top = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);

console.log(
  `bundle: ${modules.length} modules, ${rawKiB.toFixed(1)} KiB raw, ${gzipKiB.toFixed(1)} KiB gzip (budget ${BUDGET_GZIP_KIB} KiB gzip)`,
);
for (const module of modules) {
  console.log(
    `  ${module.name.padEnd(28)} ${(module.code.length / 1024).toFixed(1)} KiB, ${(module.gzipBytes / 1024).toFixed(1)} KiB gzip`,
  );
}
console.log("largest packages:");
for (const [name, size] of top) console.log(`  ${name.padEnd(28)} ${(size / 1024).toFixed(1)} KiB source`);

const forbidden = FORBIDDEN.filter((name) => byPackage.has(name));
if (forbidden.length) {
  console.error(`bundle includes packages too heavy for a Worker: ${forbidden.join(", ")}`);
  process.exit(1);
}
// zod's translations come back if the "zod" alias stops applying (a new importer spelling it "zod/v4", or
// zod moving its locales): English is the only locale the Worker needs.
const locales = sources.filter((source) => /zod\/v4\/locales\/(?!(en|index)\.js$)/.test(source));
if (locales.length) {
  console.error(
    `bundle includes zod's translations (${locales.length} files): see scripts/build-worker.mjs (zod alias)`,
  );
  process.exit(1);
}
if (gzipKiB > BUDGET_GZIP_KIB) {
  console.error(`bundle is over budget: ${gzipKiB.toFixed(1)} KiB > ${BUDGET_GZIP_KIB} KiB gzip`);
  process.exit(1);
}
