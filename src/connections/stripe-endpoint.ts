import { createWebhookEndpoint, deleteWebhookEndpoint } from "../../integrations/stripe/webhook-endpoints";
import type { AppEnv } from "../env";
import { ConnectionError } from "../errors";
import { publicUrl } from "../links/public-url";
import { log } from "../log";
import { getConnection } from "../store/connections";
import { randomToken } from "../store/sessions";
import { deleteStripeEndpoint, saveStripeEndpoint, workspaceStripeEndpoint } from "../store/stripe-endpoints";

/** The URL path of a key-connected workspace's own Stripe endpoint. */
export const stripeEndpointPath = (id: string) => `/webhooks/stripe/e/${id}`;

/** The pasted key of the workspace's current Stripe connection, if it is one. */
async function currentKey(env: AppEnv, workspaceId: string): Promise<string | null> {
  try {
    const connection = await getConnection(env.DB, env, workspaceId, "stripe");
    return connection.source === "key" ? (connection.credentials.accessToken ?? null) : null;
  } catch (error) {
    if (error instanceof ConnectionError) return null;
    throw error;
  }
}

/** Deletes an endpoint at Stripe; a failure is logged (the row goes anyway: Stripe disables an endpoint that keeps failing). */
async function deleteAtStripe(env: AppEnv, workspaceId: string, key: string, stripeEndpointId: string) {
  try {
    await deleteWebhookEndpoint(env.STRIPE_API_BASE, key, stripeEndpointId);
  } catch (error) {
    log.warn("stripe webhook endpoint not deleted", {
      tenant: workspaceId,
      provider: "stripe",
      reason: error instanceof Error ? error.name : "error",
    });
  }
}

/**
 * Restricted-key mode: creates the workspace's own webhook endpoint in the
 * key's account at `<PUBLIC_URL>/webhooks/stripe/e/<id>` (id: 128 random
 * bits, base64url, not the workspace id), then runs `store` (saving the
 * connection). The endpoint is created first: if Stripe refuses it, nothing
 * is stored; if storing fails, the new endpoint is deleted again. A plain
 * http PUBLIC_URL (local development) is used as it is, since the sandbox
 * delivers to it. An earlier endpoint is deleted at Stripe once the new one
 * is saved.
 */
export async function connectWithStripeEndpoint(
  env: AppEnv,
  workspaceId: string,
  key: string,
  requestUrl: string,
  store: () => Promise<void>,
): Promise<void> {
  const previous = await workspaceStripeEndpoint(env.DB, workspaceId);
  const previousKey = previous ? await currentKey(env, workspaceId) : null;
  const id = randomToken(16);
  const created = await createWebhookEndpoint(env.STRIPE_API_BASE, key, {
    url: `${publicUrl(env, requestUrl)}${stripeEndpointPath(id)}`,
    description: "Clientflow: invoice payments of your client journeys",
    metadata: { clientflow_endpoint: id },
  });
  try {
    await saveStripeEndpoint(env.DB, env, { id, workspaceId, ...created });
    await store();
  } catch (error) {
    await deleteStripeEndpoint(env.DB, workspaceId);
    await deleteAtStripe(env, workspaceId, key, created.stripeEndpointId);
    throw error;
  }
  if (previous && previous.stripeEndpointId !== created.stripeEndpointId)
    await deleteAtStripe(env, workspaceId, previousKey ?? key, previous.stripeEndpointId);
  log.info("stripe webhook endpoint created", { tenant: workspaceId, provider: "stripe", replaced: Boolean(previous) });
}

/** On disconnect (before the connection is deleted, while its key is readable): deletes the endpoint at Stripe and here. */
export async function removeStripeEndpoint(env: AppEnv, workspaceId: string): Promise<void> {
  const endpoint = await workspaceStripeEndpoint(env.DB, workspaceId);
  if (!endpoint) return;
  const key = await currentKey(env, workspaceId);
  if (key) await deleteAtStripe(env, workspaceId, key, endpoint.stripeEndpointId);
  await deleteStripeEndpoint(env.DB, workspaceId);
}
