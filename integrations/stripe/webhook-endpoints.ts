import { autoPage, callStripe, platformStripe } from "./client";
import { StripeApiError } from "./errors";
import { STRIPE_API_VERSION } from "./http";
import { refusal } from "./restricted-key";

/**
 * The Stripe events Clientflow acts on; an endpoint it creates subscribes to
 * exactly these (`enabled_events`), so Stripe sends nothing else to it. The
 * integration's webhook lists the same (setup:providers reads it there).
 * After the payments: the money reversals of docs/reversals.md (refunds,
 * disputes, voided and uncollectible invoices), names as in Stripe's
 * `WebhookEndpointCreateParams.EnabledEvent`.
 */
export const HANDLED_STRIPE_EVENTS = [
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  "invoice.voided",
  "invoice.marked_uncollectible",
] as const;

/** The endpoint Stripe created: its `we_…` id and the signing secret, which Stripe returns only now. */
export interface CreatedWebhookEndpoint {
  stripeEndpointId: string;
  secret: string;
}

/**
 * Creates an account webhook endpoint with the business's restricted key
 * (`POST /v1/webhook_endpoints`: `url`, `enabled_events[]`, `api_version`,
 * `description`, `metadata`; the response's `secret` is only returned at
 * creation). https://docs.stripe.com/api/webhook_endpoints/create
 * `api_version` pins the events to the version this code is typed for
 * (`STRIPE_API_VERSION`): without it Stripe renders them in the business
 * account's default version, which may be years older, and the endpoint's
 * version cannot be changed afterwards.
 * A 403 (the key lacks Webhook Endpoints: Write) becomes the owner's 422.
 */
export async function createWebhookEndpoint(
  apiBase: string,
  key: string,
  input: { url: string; description: string; metadata: Record<string, string> },
): Promise<CreatedWebhookEndpoint> {
  const stripe = platformStripe(apiBase, key);
  const endpoint = await callStripe(async () => {
    try {
      return await stripe.webhookEndpoints.create({
        url: input.url,
        enabled_events: [...HANDLED_STRIPE_EVENTS],
        api_version: STRIPE_API_VERSION,
        description: input.description,
        metadata: input.metadata,
      });
    } catch (error) {
      throw refusal(error, "Webhook Endpoints");
    }
  });
  if (!endpoint.secret) throw new Error("Stripe created a webhook endpoint without returning its secret");
  return { stripeEndpointId: endpoint.id, secret: endpoint.secret };
}

/**
 * Deletes an endpoint (`DELETE /v1/webhook_endpoints/{webhook_endpoint}`).
 * One Stripe no longer has (404) counts as deleted.
 * https://docs.stripe.com/api/webhook_endpoints/delete
 */
export async function deleteWebhookEndpoint(apiBase: string, key: string, stripeEndpointId: string): Promise<void> {
  const stripe = platformStripe(apiBase, key);
  await callStripe(async () => {
    try {
      await stripe.webhookEndpoints.del(stripeEndpointId);
    } catch (error) {
      if (error instanceof StripeApiError && error.status === 404) return;
      throw error;
    }
  });
}

/** What Stripe says of an endpoint: gone, or its `status` and `enabled_events`. */
export type WebhookEndpointState = { found: false } | { found: true; status: string; enabledEvents: string[] };

/**
 * Reads an endpoint (`GET /v1/webhook_endpoints/{webhook_endpoint}`) for the
 * connection health check: its `status` (enabled or disabled; Stripe disables
 * an endpoint that keeps failing) and `enabled_events`. A 404 is `found: false`.
 * https://docs.stripe.com/api/webhook_endpoints/retrieve
 */
export async function retrieveWebhookEndpoint(
  apiBase: string,
  key: string,
  stripeEndpointId: string,
): Promise<WebhookEndpointState> {
  const stripe = platformStripe(apiBase, key);
  return callStripe(async () => {
    try {
      const endpoint = await stripe.webhookEndpoints.retrieve(stripeEndpointId);
      return { found: true, status: endpoint.status, enabledEvents: [...endpoint.enabled_events] };
    } catch (error) {
      if (error instanceof StripeApiError && error.status === 404) return { found: false };
      throw error;
    }
  });
}

/**
 * The endpoint at `url` among the account's own (`GET /v1/webhook_endpoints`,
 * every page), read with the platform's key: the Stripe App's one Connect
 * endpoint, which serves every OAuth-connected business, for the operator's
 * deep health check. https://docs.stripe.com/api/webhook_endpoints/list
 */
export async function findWebhookEndpoint(apiBase: string, key: string, url: string): Promise<WebhookEndpointState> {
  const stripe = platformStripe(apiBase, key);
  return callStripe(async () => {
    const pages = autoPage((after) =>
      stripe.webhookEndpoints.listRead({ limit: 100, ...(after ? { starting_after: after } : {}) }),
    );
    for await (const endpoint of pages) {
      if (endpoint.url === url)
        return { found: true, status: endpoint.status, enabledEvents: [...endpoint.enabled_events] };
    }
    return { found: false };
  });
}
