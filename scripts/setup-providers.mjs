// `npm run setup:providers -- --env staging|production [--stripe-key-file FILE]`
// Registers at each provider what its API allows, for the deployed environment's PUBLIC_URL, and reports
// what the operator still has to do by hand. The URLs come from the same list deploy prints
// (scripts/lib/provider-urls.mjs). docs/deploy.md is the operator's guide.

import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { deployOptions } from "./deploy.mjs";
import { providerUrls } from "./lib/provider-urls.mjs";
import { wrangler } from "./lib/run-wrangler.mjs";
import { parseDotenv, promptHidden } from "./lib/secrets.mjs";
import { environment, readToml } from "./lib/wrangler-config.mjs";

const root = path.resolve(import.meta.dirname, "..");
/** The origin the HubSpot project files carry until a deploy replaces it (hubspot-project/README.md). */
const PLACEHOLDER_ORIGIN = "https://clientflow.example.com";

/** A Stripe API call with the operator's key (form-encoded, as Stripe's API takes). https://docs.stripe.com/api/webhook_endpoints */
async function stripeCall(apiBase, key, method, route, params) {
  const body = params ? new URLSearchParams(params).toString() : undefined;
  const response = await fetch(`${apiBase}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`Stripe ${method} ${route}: ${response.status} ${json.error?.message ?? ""}`);
  return json;
}

/** Form fields for a list of events (`enabled_events[0]=…`). */
const eventParams = (events) => events.map((event, i) => [`enabled_events[${i}]`, event]);

/**
 * The Stripe App's Connect endpoint (`connect=true`: events of every connected account), found by URL
 * among the account's endpoints and updated to exactly Clientflow's events, or created, in the API version
 * the code is typed for (`api_version`: without it Stripe renders events in the platform account's default
 * version, and an endpoint's version cannot be changed later: https://docs.stripe.com/api/webhook_endpoints/create).
 * A new endpoint's signing secret (returned only at creation) goes straight to the Worker as STRIPE_WEBHOOK_SECRET.
 */
async function setupStripe(opts, webhook, report) {
  const key = opts["stripe-key-file"]
    ? parseDotenv(readFileSync(opts["stripe-key-file"], "utf8")).STRIPE_PLATFORM_SECRET_KEY
    : process.stdin.isTTY
      ? await promptHidden("  Stripe secret key of the platform account (input hidden, empty to skip): ")
      : "";
  if (!key) {
    report.push(`Stripe: create a Connect webhook endpoint at ${webhook.url} with events ${webhook.events.join(", ")}`);
    return;
  }
  const api = opts["stripe-api"];
  const existing = [];
  let page = await stripeCall(api, key, "GET", "/v1/webhook_endpoints?limit=100");
  existing.push(...page.data);
  while (page.has_more) {
    page = await stripeCall(api, key, "GET", `/v1/webhook_endpoints?limit=100&starting_after=${page.data.at(-1).id}`);
    existing.push(...page.data);
  }
  const found = existing.find((endpoint) => endpoint.url === webhook.url);
  if (found) {
    const same = [...found.enabled_events].sort().join() === [...webhook.events].sort().join();
    if (!same) await stripeCall(api, key, "POST", `/v1/webhook_endpoints/${found.id}`, eventParams(webhook.events));
    console.log(`  Stripe endpoint ${found.id} ${same ? "already has" : "updated to"} ${webhook.events.join(", ")}`);
    if (webhook.apiVersion && found.api_version !== webhook.apiVersion) {
      report.push(
        `Stripe: endpoint ${found.id} renders events in API version ${found.api_version ?? "(the account's default)"}, ` +
          `not ${webhook.apiVersion}; an endpoint's version cannot be changed: delete it and run setup:providers again`,
      );
    }
    return;
  }
  const created = await stripeCall(api, key, "POST", "/v1/webhook_endpoints", [
    ["url", webhook.url],
    ["connect", "true"],
    ["description", "Clientflow"],
    ...(webhook.apiVersion ? [["api_version", webhook.apiVersion]] : []),
    ...eventParams(webhook.events),
  ]);
  console.log(`  Stripe endpoint ${created.id} created for ${webhook.events.join(", ")}`);
  wrangler(["secret", "bulk", "--env", opts.env, "--config", opts.config], {
    input: JSON.stringify({ STRIPE_WEBHOOK_SECRET: created.secret }),
    quiet: true,
  });
  console.log("  its signing secret is set as STRIPE_WEBHOOK_SECRET");
}

/** Every file under a folder. */
function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/**
 * Whether the HubSpot project copy registers exactly the URLs Clientflow serves: its redirect URL and its
 * webhooks' target (the upload registers them, so these are checkable before it).
 */
function checkHubspotProject(build, urls) {
  const app = JSON.parse(readFileSync(path.join(build, "src/app/app-hsmeta.json"), "utf8"));
  const hooks = JSON.parse(readFileSync(path.join(build, "src/app/webhooks/webhooks-hsmeta.json"), "utf8"));
  const want = (kind) => urls.find((u) => u.provider === "hubspot" && u.kind === kind)?.url;
  const problems = [];
  if (JSON.stringify(app.config.auth.redirectUrls) !== JSON.stringify([want("redirect")])) {
    problems.push(
      `HubSpot project: redirectUrls ${JSON.stringify(app.config.auth.redirectUrls)}, expected ${want("redirect")}`,
    );
  }
  if (hooks.config.settings.targetUrl !== want("webhook")) {
    problems.push(`HubSpot project: webhook targetUrl ${hooks.config.settings.targetUrl}, expected ${want("webhook")}`);
  }
  return problems;
}

/** The HubSpot project (scopes, redirect URL, webhooks) with the real origin, uploaded with `hs` when installed. */
function setupHubspot(opts, origin, urls, report) {
  // Next to wrangler.toml (the project root; git-ignored there).
  const build = path.join(path.dirname(opts.config), ".hubspot-build");
  rmSync(build, { recursive: true, force: true });
  cpSync(path.join(root, "hubspot-project"), build, { recursive: true });
  for (const file of filesUnder(build)) {
    const text = readFileSync(file, "utf8");
    if (text.includes(PLACEHOLDER_ORIGIN)) writeFileSync(file, text.replaceAll(PLACEHOLDER_ORIGIN, origin));
  }
  const problems = checkHubspotProject(build, urls);
  if (problems.length) {
    report.push(...problems);
    return;
  }
  console.log(`  project files carry ${origin}/oauth/hubspot/callback and ${origin}/webhooks/hubspot`);
  const hs = spawnSync("hs", ["--version"], { encoding: "utf8" });
  if (hs.error || hs.status !== 0) {
    report.push(`HubSpot: install the HubSpot CLI, then run: (cd .hubspot-build && hs project upload)`);
    return;
  }
  const upload = spawnSync("hs", ["project", "upload"], { cwd: build, stdio: "inherit" });
  if (upload.status !== 0) report.push("HubSpot: `hs project upload` failed; run it in .hubspot-build");
  else console.log("  HubSpot project uploaded");
}

/** Runs setup:providers for argv; returns what is still missing. */
export async function setupProviders(argv) {
  const opts = deployOptions(argv);
  const env = environment(readToml(opts.config), opts.env);
  const origin = env.vars.PUBLIC_URL;
  if (!origin)
    throw new Error(`PUBLIC_URL is empty in [env.${opts.env}.vars]: run npm run deploy -- --env ${opts.env} first`);
  const urls = await providerUrls(origin);
  const report = [];
  const webhookOf = (provider) => urls.find((u) => u.provider === provider && u.kind === "webhook");

  console.log(`==> Stripe (${origin})`);
  await setupStripe(opts, webhookOf("stripe"), report);
  console.log("==> HubSpot");
  setupHubspot(opts, origin, urls, report);
  console.log("==> Notion");
  const notionPage = urls.find((u) => u.provider === "notion" && u.kind === "operator");
  report.push(
    `Notion: in the public integration's Webhooks tab, subscribe ${webhookOf("notion").url}` +
      ` (events: ${webhookOf("notion").events.join(", ")}); then open ${notionPage.url} (OPERATOR_TOKEN)` +
      " to copy the verification token Notion sent and confirm it",
  );
  // HubSpot's redirect URL comes with the project upload (checked above). No other provider's API shows an
  // OAuth client's redirect URIs to the credentials deploy holds: those are printed for the operator.
  for (const entry of urls.filter((u) => u.kind === "redirect" && u.provider !== "hubspot")) {
    report.push(`${entry.name}: redirect URI ${entry.url} registered in the OAuth app`);
  }
  console.log("\nStill to do by hand (check each):");
  for (const line of report) console.log(`  - ${line}`);
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  setupProviders(process.argv.slice(2)).catch((error) => {
    console.error(`setup:providers failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
