// Builds the Worker exactly as `wrangler deploy` would (--dry-run), then
// checks it against the bundle budget: gzip size, and none of the SDKs that
// are too heavy for a Worker (see shared/RECIPES.md). Prints the largest
// packages so a regression names its cause.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

// The Worker is minified (wrangler.toml `minify = true`): 306 KiB gzip with the editor, the email
// renderer and the account checks (436 KiB unminified), 318 KiB once src/index.ts loaded the app and the
// Workflow engines on first use (the bundler then wraps each of ~600 modules in an initialiser and turns
// ~1,900 import edges into init calls: +11.5 KiB gzip for a startup 3× cheaper, bench/startup.mjs), 278 KiB
// since zod is bundled without its translations (wrangler.toml `[alias]`, src/zod-english/), less again
// without the Stripe SDK's runtime. The budget is the performance issue's 300 KiB. Workers allow 3 MiB gzip
// (free plan); the budget keeps startup cheap.
const BUDGET_GZIP_KIB = 300;
// stripe: the Worker calls Stripe through its own typed fetch client (integrations/stripe/client.ts) and
// imports the SDK for its types only (`import type`), which the bundle must not contain.
const FORBIDDEN = ["googleapis", "@hubspot/api-client", "google-auth-library", "stripe"];

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(tmpdir(), "clientflow-bundle-"));
execFileSync(
  process.execPath,
  [path.join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", out],
  {
    cwd: root,
    stdio: "pipe",
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, ".wrangler/config"),
      WRANGLER_LOG_PATH: path.join(root, ".wrangler/logs"),
      WRANGLER_SEND_METRICS: "false",
    },
  },
);
// Every module of the upload: src/index.ts's bundle (index.js) and the additional modules wrangler attaches
// (generated/worker-lazy.js, scripts/build-worker.mjs), each with its source map (the lazy module's is
// src/generated/, where scripts/build-worker.mjs wrote it; wrangler copies only the module).
const modules = [
  { code: path.join(out, "index.js"), map: path.join(out, "index.js.map") },
  ...(existsSync(path.join(out, "generated")) ? readdirSync(path.join(out, "generated"), { recursive: true }) : [])
    .filter((name) => String(name).endsWith(".js"))
    .map((name) => ({
      code: path.join(out, "generated", String(name)),
      map: path.join(root, "src/generated", `${String(name)}.map`),
    })),
];
const codes = modules.map((module) => readFileSync(module.code));
const rawKiB = codes.reduce((sum, code) => sum + code.length, 0) / 1024;
// Gzip per module, summed: how the upload's size is counted module by module.
const gzipKiB = codes.reduce((sum, code) => sum + gzipSync(code).length, 0) / 1024;

const byPackage = new Map();
const sources = [];
for (const module of modules) {
  const map = JSON.parse(readFileSync(module.map, "utf8"));
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
  console.error(`bundle includes zod's translations (${locales.length} files): see wrangler.toml [alias]`);
  process.exit(1);
}
if (gzipKiB > BUDGET_GZIP_KIB) {
  console.error(`bundle is over budget: ${gzipKiB.toFixed(1)} KiB > ${BUDGET_GZIP_KIB} KiB gzip`);
  process.exit(1);
}
