import { PROVIDERS } from "../../integrations/registry";
import { prepareConnection } from "../connections/prepare";
import { sandboxProviders } from "../dashboard/sandbox/mode";
import type { AppEnv } from "../env";
import { log } from "../log";
import { upsertWorkspace } from "../settings/workspaces";
import { markSandboxConnections } from "../store/connection-admin";
import { type Provider, saveConnection } from "../store/connections";
import { seedOwner } from "../store/owners";

/** Seed values written by the sandbox (`npm start`), beyond AppEnv's SEED_* ones. */
type SeedEnv = AppEnv & { SEED_NOTION_WORKSPACE_ID?: string; SEED_OWNER_SUB?: string; SEED_OWNER_EMAIL?: string };

let seeded: { fingerprint: string; done: Promise<void> } | undefined;

/** Seeding is for `npm start` on a developer's machine: loopback hosts only, never a deployed Worker. */
function isLocal(requestUrl: string): boolean {
  const host = new URL(requestUrl).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Fingerprints of the env objects seen: a Worker gets the same one on every request, so most are one lookup. */
const fingerprints = new WeakMap<AppEnv, string>();

/** Which SEED_* values are set (names and lengths only: the fingerprint holds no secret). */
function fingerprint(env: AppEnv): string {
  let print = fingerprints.get(env);
  if (print === undefined) {
    print = computeFingerprint(env);
    fingerprints.set(env, print);
  }
  return print;
}

function computeFingerprint(env: AppEnv): string {
  return Object.entries(env)
    .filter(([k, v]) => (k.startsWith("SEED_") || k === "SANDBOX_PROVIDERS") && typeof v === "string")
    .map(([k, v]) => {
      const plain = k.endsWith("_ID") || k.endsWith("_NAME") || k === "SANDBOX_PROVIDERS";
      return `${k}:${(v as string).length}:${plain ? v : ""}`;
    })
    .sort()
    .join("|");
}

/**
 * Which providers run against the sandbox and which against the real API:
 * the seed marks the connections of the first as source 'sandbox' (the UI
 * shows them as such) and removes stale sandbox connections of the others,
 * so the real one can be connected.
 */
function sandboxSplit(env: AppEnv): { sandboxed: Provider[]; real: Provider[] } {
  const sandboxed = [...sandboxProviders(env)];
  return { sandboxed, real: PROVIDERS.filter((p) => !sandboxed.includes(p)) };
}

async function seed(env: SeedEnv): Promise<void> {
  const workspaceId = env.SEED_WORKSPACE_ID || "demo";
  const settings: Record<string, string> = {};
  if (env.SEED_HUBSPOT_CLOSED_WON_STAGE) settings.closedWonStage = env.SEED_HUBSPOT_CLOSED_WON_STAGE;
  if (env.SEED_AGREEMENT_URL) settings.agreementUrl = env.SEED_AGREEMENT_URL;
  // Merged, so settings the owner saved in the dashboard survive a restart; seeded keys win.
  await upsertWorkspace(
    env.DB,
    { id: workspaceId, name: env.SEED_WORKSPACE_NAME || "Demo studio", settings },
    { mergeSettings: true },
  );
  const base = { workspaceId, source: "env" as const };
  if (env.SEED_HUBSPOT_ACCESS_TOKEN) {
    await saveConnection(env.DB, env, {
      ...base,
      provider: "hubspot",
      externalAccountId: env.SEED_HUBSPOT_PORTAL_ID || null,
      credentials: { accessToken: env.SEED_HUBSPOT_ACCESS_TOKEN },
      config: { portalId: env.SEED_HUBSPOT_PORTAL_ID },
    });
  }
  if (env.SEED_STRIPE_SECRET_KEY) {
    await saveConnection(env.DB, env, {
      ...base,
      provider: "stripe",
      externalAccountId: env.SEED_STRIPE_ACCOUNT_ID || null,
      credentials: { accessToken: env.SEED_STRIPE_SECRET_KEY },
      config: {},
    });
  }
  if (env.SEED_NOTION_TOKEN) {
    await saveConnection(env.DB, env, {
      ...base,
      provider: "notion",
      externalAccountId: env.SEED_NOTION_WORKSPACE_ID || null,
      credentials: { accessToken: env.SEED_NOTION_TOKEN },
      config: { boardId: env.SEED_NOTION_BOARD_ID, boardName: env.SEED_NOTION_BOARD_NAME },
    });
  }
  if (env.SEED_GOOGLE_REFRESH_TOKEN) {
    await saveConnection(env.DB, env, {
      ...base,
      provider: "google",
      externalAccountId: env.SEED_GOOGLE_EMAIL || null,
      credentials: { refreshToken: env.SEED_GOOGLE_REFRESH_TOKEN },
      config: { email: env.SEED_GOOGLE_EMAIL },
    });
  }
  await markSandboxConnections(env.DB, workspaceId, sandboxSplit(env));
  // As connecting does (storeGrant): the seeded HubSpot account gets Clientflow's deal properties now.
  if (env.SEED_HUBSPOT_ACCESS_TOKEN) await prepareConnection(env, workspaceId, "hubspot");
  if (env.SEED_OWNER_SUB && env.SEED_OWNER_EMAIL) {
    await seedOwner(env.DB, { googleSub: env.SEED_OWNER_SUB, email: env.SEED_OWNER_EMAIL, workspaceId });
  }
  log.info("seeded workspace from env", { tenant: workspaceId });
}

/**
 * Local development only (SEED_FROM_ENV="true" and a loopback host): one workspace whose
 * connections come from SEED_* variables, written once per isolate and again
 * when the set of values changes. Credentials are sealed like any other.
 */
export function seedFromEnv(env: AppEnv, requestUrl: string): Promise<void> {
  if (env.SEED_FROM_ENV !== "true") return Promise.resolve();
  if (!isLocal(requestUrl)) {
    log.warn("SEED_FROM_ENV is set but the request is not local: not seeding", { host: new URL(requestUrl).hostname });
    return Promise.resolve();
  }
  const print = fingerprint(env);
  if (seeded?.fingerprint !== print) {
    const done = seed(env).catch((error: unknown) => {
      seeded = undefined;
      throw error;
    });
    seeded = { fingerprint: print, done };
  }
  return seeded.done;
}
