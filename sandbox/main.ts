/**
 * The sandbox process that `npm start` runs (bundled by scripts/start.mjs).
 * Reads from its environment (never the command line):
 * SANDBOX_PORT, SANDBOX_WORKER_URL, SANDBOX_PROVIDERS (comma list),
 * SANDBOX_ENV_FILE (where to write the Worker's vars, mode 600), SANDBOX_RATE_LIMITS=1 (the emulators enforce each
 * provider's documented rate limit, docs/rate-limits.md) and the
 * webhook secrets the user configured (HUBSPOT_CLIENT_SECRET,
 * STRIPE_WEBHOOK_SECRET, NOTION_WEBHOOK_VERIFICATION_TOKEN), which then sign the deliveries instead of
 * generated ones; SEED_WORKSPACE_ID, the workspace to seed. Prints one JSON line `{"ready":…}` when listening, then
 * serves until stopped; start.mjs calls POST /control/prime once the Worker is up.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { SANDBOX_PROVIDERS, type SandboxProvider } from "./providers";
import { generateSecrets, startSandbox } from "./server";

const env = process.env;
const providers = (env.SANDBOX_PROVIDERS ?? SANDBOX_PROVIDERS.join(","))
  .split(",")
  .map((p) => p.trim())
  .filter((p): p is SandboxProvider => (SANDBOX_PROVIDERS as readonly string[]).includes(p));

const keep = {
  hubspotClientSecret: env.HUBSPOT_CLIENT_SECRET || undefined,
  stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
  notionWebhookToken: env.NOTION_WEBHOOK_VERIFICATION_TOKEN || undefined,
};
const secrets = generateSecrets(keep);
const port = Number(env.SANDBOX_PORT || 8789);
const sandbox = await startSandbox({
  port,
  workerUrl: env.SANDBOX_WORKER_URL || "http://localhost:8787",
  providers,
  secrets,
  workspaceId: env.SEED_WORKSPACE_ID || undefined,
}).catch((error: unknown) => {
  const inUse = (error as { code?: string }).code === "EADDRINUSE";
  console.error(inUse ? `The sandbox's port ${port} is in use: set SANDBOX_PORT to another one.` : String(error));
  process.exit(1);
});

if (env.SANDBOX_RATE_LIMITS === "1") {
  for (const fake of [sandbox.hubspot, sandbox.stripe, sandbox.notion, sandbox.google]) fake.rateLimit.enable();
}

if (env.SANDBOX_ENV_FILE) {
  const vars = sandbox.vars();
  // The user's own webhook secrets stay in .dev.vars; only generated ones go here.
  if (keep.hubspotClientSecret) delete vars.HUBSPOT_CLIENT_SECRET;
  if (keep.stripeWebhookSecret) delete vars.STRIPE_WEBHOOK_SECRET;
  if (keep.notionWebhookToken) delete vars.NOTION_WEBHOOK_VERIFICATION_TOKEN;
  // Only when start.mjs runs the Worker on another port than .dev.vars's PUBLIC_URL says.
  if (env.SANDBOX_PUBLIC_URL) vars.PUBLIC_URL = env.SANDBOX_PUBLIC_URL;
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  writeFileSync(env.SANDBOX_ENV_FILE, `# Written by the sandbox for this run of npm start.\n${lines.join("\n")}\n`, {
    mode: 0o600,
  });
  chmodSync(env.SANDBOX_ENV_FILE, 0o600);
}

console.log(JSON.stringify({ ready: sandbox.origin, providers }));

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
