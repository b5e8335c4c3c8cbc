// The one list of what an operator registers at each provider: OAuth redirect URIs and webhook URLs.
// It comes from the code itself: the app's Hono routes (`app.routes`) and the integrations' declarations
// (`integrations/registry.ts`: OAuth, webhook path and events), bundled with esbuild for Node.
// A route that moves or an integration that gains a webhook changes what deploy and setup:providers print.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "../..");

/** Workers-only modules the app imports: bare stand-ins, since only route and integration tables are read. */
const workersStub = {
  name: "workers-stub",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "workers-stub" }));
    b.onLoad({ filter: /.*/, namespace: "workers-stub" }, () => ({
      contents:
        "export class WorkflowEntrypoint {}\nexport class DurableObject {}\nexport class NonRetryableError extends Error {}\n",
      loader: "js",
    }));
  },
};

let loaded;

/** The app's routes and integrations, bundled once per process. */
async function loadCode() {
  loaded ??= (async () => {
    const out = await build({
      stdin: {
        contents: 'export { app } from "./src/app.ts";\nexport { integrations } from "./integrations/registry.ts";\n',
        resolveDir: root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      plugins: [workersStub],
      // Packages load from node_modules as they are: a smaller bundle, built and loaded faster.
      packages: "external",
      logLevel: "error",
    });
    // Inside the project, so that the bundle's package imports resolve from node_modules.
    mkdirSync(path.join(root, ".wrangler"), { recursive: true });
    const dir = mkdtempSync(path.join(root, ".wrangler", "routes-"));
    const file = path.join(dir, "routes.mjs");
    writeFileSync(file, out.outputFiles[0].contents);
    try {
      return await import(pathToFileURL(file).href);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return loaded;
}

/** Fails when the code no longer has a route this list relies on (the printed URL would be wrong). */
function requireRoute(routes, method, routePath) {
  if (!routes.some((r) => r.method === method && r.path === routePath)) {
    throw new Error(`src/app.ts has no ${method} ${routePath} route: update scripts/lib/provider-urls.mjs`);
  }
}

/**
 * Every URL to register, per provider, for the app at `origin`: `{ provider, name, kind, url, events? }`
 * with kind `redirect` (OAuth redirect URI), `webhook` (with the events Clientflow handles) or
 * `operator` (a page the operator opens).
 */
export async function providerUrls(origin) {
  const { app, integrations } = await loadCode();
  const routes = app.routes;
  const base = origin.replace(/\/+$/, "");
  const list = [];
  for (const integration of Object.values(integrations)) {
    if (integration.auth?.oauth) {
      requireRoute(routes, "GET", "/oauth/:provider/callback");
      list.push({
        provider: integration.id,
        name: integration.name,
        kind: "redirect",
        url: `${base}/oauth/${integration.id}/callback`,
      });
    }
    if (integration.webhook) {
      requireRoute(routes, "POST", integration.webhook.path);
      list.push({
        provider: integration.id,
        name: integration.name,
        kind: "webhook",
        url: `${base}${integration.webhook.path}`,
        events: [...integration.webhook.events],
        ...(integration.webhook.apiVersion ? { apiVersion: integration.webhook.apiVersion } : {}),
      });
    }
  }
  // Owner sign-in is Google's OpenID Connect (src/auth/sign-in-routes.ts): the same Google client.
  requireRoute(routes, "GET", "/auth/callback");
  list.push({ provider: "google", name: "Google", kind: "redirect", url: `${base}/auth/callback` });
  // The Notion subscription's verification token is confirmed on the operator's page (src/operator/notion-routes.ts).
  requireRoute(routes, "GET", "/operator/notion");
  list.push({ provider: "notion", name: "Notion", kind: "operator", url: `${base}/operator/notion` });
  return list;
}

/** The list as lines for a terminal, grouped by provider. */
export function formatProviderUrls(list) {
  const lines = [];
  for (const provider of [...new Set(list.map((entry) => entry.provider))]) {
    const entries = list.filter((entry) => entry.provider === provider);
    lines.push(`  ${entries[0].name}:`);
    for (const entry of entries) {
      const label = { redirect: "redirect URI", webhook: "webhook URL ", operator: "operator page" }[entry.kind];
      const events = entry.events ? ` (events: ${entry.events.join(", ")})` : "";
      lines.push(`    ${label}  ${entry.url}${events}`);
    }
  }
  return lines;
}
