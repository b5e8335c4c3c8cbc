import { findWebhookEndpoint, HANDLED_STRIPE_EVENTS } from "../../integrations/stripe/webhook-endpoints";
import { masterKeyBytes } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { describeError, log } from "../log";
import { stripeEndpointVerdict } from "../maintenance/health-warnings";
import { readHealthProbe, writeHealthProbe } from "../store/connection-checks";

/** Secrets the Worker cannot run without. */
const REQUIRED_SECRETS = ["ENCRYPTION_KEY", "PUBLIC_URL"] as const;
/** Secrets each provider's connect flow or webhook needs: reported present or missing, never their values. */
const OPTIONAL_SECRETS = [
  "ENCRYPTION_KEY_PREVIOUS",
  "OPERATOR_TOKEN",
  "HUBSPOT_CLIENT_ID",
  "HUBSPOT_CLIENT_SECRET",
  "STRIPE_CLIENT_ID",
  "STRIPE_PLATFORM_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "NOTION_CLIENT_ID",
  "NOTION_CLIENT_SECRET",
  "NOTION_WEBHOOK_VERIFICATION_TOKEN",
  "GOOGLE_CLIENT_ID",
  "GOOGLE_CLIENT_SECRET",
] as const;

/** The deep check's answer: each part ok or not, names only. */
export interface DeepHealth {
  status: "ok" | "degraded";
  d1: { read: boolean; write: boolean; error?: string };
  bindings: Record<string, boolean>;
  /** Other bindings found on the env (queues, Durable Objects, …) by name. */
  otherBindings: string[];
  secrets: { required: Record<string, boolean>; optional: Record<string, boolean> };
  /**
   * The Stripe App's one Connect endpoint (`<PUBLIC_URL>/webhooks/stripe`), which delivers the events of every
   * business connected through the app: found, enabled and subscribed to every handled event. Checked when
   * STRIPE_PLATFORM_SECRET_KEY and PUBLIC_URL are set; a business connected by restricted key has its own
   * endpoint, which the daily connection check watches for its owner (docs/connection-health.md).
   */
  stripeConnectEndpoint: { checked: false } | { checked: true; ok: boolean; problem?: string; fix?: string };
}

/** The Connect endpoint's state, judged as the owners' own endpoints are (src/maintenance/health-warnings.ts). */
async function connectEndpoint(env: AppEnv): Promise<DeepHealth["stripeConnectEndpoint"]> {
  if (!env.STRIPE_PLATFORM_SECRET_KEY || !env.PUBLIC_URL) return { checked: false };
  const url = `${env.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/stripe`;
  try {
    const state = await findWebhookEndpoint(env.STRIPE_API_BASE, env.STRIPE_PLATFORM_SECRET_KEY, url);
    const verdict = stripeEndpointVerdict(state, HANDLED_STRIPE_EVENTS);
    if (verdict.status === "ok") return { checked: true, ok: true };
    const fix = state.found ? (verdict.hint ?? undefined) : `Run npm run setup:providers, which creates it at ${url}.`;
    return { checked: true, ok: false, problem: verdict.errorClass ?? "stripe_endpoint", ...(fix ? { fix } : {}) };
  } catch (cause) {
    const reason = describeError(cause).slice(0, 200);
    log.warn("deep health: Stripe endpoint check failed", { reason });
    return { checked: true, ok: false, problem: "stripe_unreachable", fix: reason };
  }
}

const isWorkflow = (value: unknown) =>
  typeof value === "object" && value !== null && typeof (value as { create?: unknown }).create === "function";

const isQueue = (value: unknown) =>
  typeof value === "object" && value !== null && typeof (value as { send?: unknown }).send === "function";

const isNamespace = (value: unknown) =>
  typeof value === "object" && value !== null && typeof (value as { idFromName?: unknown }).idFromName === "function";

const keyUsable = (value: string | undefined) => {
  if (!value) return false;
  try {
    masterKeyBytes(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The operator's deep health check: D1 answers a read and takes a write,
 * every binding the Worker uses is there, the required secrets are set (and
 * ENCRYPTION_KEY is a usable key). Bindings that are objects but not ones
 * Clientflow names (a queue or Durable Object namespace added later) are
 * listed by name. Never reads or returns a secret's value.
 */
export async function deepHealth(env: AppEnv, now = Date.now()): Promise<DeepHealth> {
  const d1: DeepHealth["d1"] = { read: false, write: false };
  try {
    d1.write = await writeHealthProbe(env.DB, new Date(now).toISOString());
    d1.read = (await readHealthProbe(env.DB)) !== null;
  } catch (cause) {
    d1.error = describeError(cause).slice(0, 200);
    log.error("deep health: D1 failed", { reason: d1.error });
  }
  const bindings = {
    DB: Boolean(env.DB),
    JOURNEYS: isWorkflow(env.JOURNEYS),
    TASKS: isWorkflow(env.TASKS),
    // Webhook intake (docs/intake-queue.md) and the per-connection rate budget (docs/rate-limits.md).
    INTAKE: isQueue(env.INTAKE),
    RATE_BUDGET: isNamespace(env.RATE_BUDGET),
  };
  const known = new Set<string>(Object.keys(bindings));
  const otherBindings = Object.entries(env)
    .filter(([name, value]) => !known.has(name) && typeof value === "object" && value !== null)
    .map(([name]) => name)
    .sort();
  const vars = env as unknown as Record<string, unknown>;
  const present = (name: string) => typeof vars[name] === "string" && (vars[name] as string).length > 0;
  const required = Object.fromEntries(REQUIRED_SECRETS.map((name) => [name, present(name)]));
  required.ENCRYPTION_KEY = keyUsable(env.ENCRYPTION_KEY);
  const optional = Object.fromEntries(OPTIONAL_SECRETS.map((name) => [name, present(name)]));
  const stripeConnectEndpoint = await connectEndpoint(env);
  const healthy =
    d1.read &&
    d1.write &&
    Object.values(bindings).every(Boolean) &&
    Object.values(required).every(Boolean) &&
    (!stripeConnectEndpoint.checked || stripeConnectEndpoint.ok);
  const secrets = { required, optional };
  return { status: healthy ? "ok" : "degraded", d1, bindings, otherBindings, secrets, stripeConnectEndpoint };
}
