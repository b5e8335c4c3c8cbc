import { HANDLED_STRIPE_EVENTS, retrieveWebhookEndpoint } from "../../integrations/stripe/webhook-endpoints";
import type { AppEnv } from "../env";
import { getConnection } from "../store/connections";
import { stripeEndpointsToCheck } from "../store/health-facts";
import { type Verdict, verdictFor } from "./connection-health";
import { stripeEndpointVerdict, WARNING_KINDS } from "./health-warnings";

/**
 * Asks Stripe about each key-connected workspace's own webhook endpoint
 * (one GET each, with the workspace's key; Webhook Endpoints: Write, which
 * the key was created with, includes Read) and judges it. A call that fails
 * is judged like the auth probe's failures (src/maintenance/connection-health.ts).
 * OAuth-connected accounts have no endpoint of their own: the platform's
 * Connect endpoint serves them, and is the operator's to watch.
 */
export async function checkStripeEndpoints(
  env: AppEnv,
): Promise<{ workspaceId: string; provider: string; kind: string; verdict: Verdict }[]> {
  const judged = [];
  for (const { workspaceId, stripeEndpointId } of await stripeEndpointsToCheck(env.DB)) {
    let verdict: Verdict;
    try {
      const connection = await getConnection(env.DB, env, workspaceId, "stripe");
      const key = connection.credentials.accessToken ?? "";
      const state = await retrieveWebhookEndpoint(env.STRIPE_API_BASE, key, stripeEndpointId);
      verdict = stripeEndpointVerdict(state, HANDLED_STRIPE_EVENTS);
    } catch (error) {
      verdict = verdictFor("stripe", error);
    }
    judged.push({ workspaceId, provider: "stripe", kind: WARNING_KINDS.stripeEndpoint, verdict });
  }
  return judged;
}
