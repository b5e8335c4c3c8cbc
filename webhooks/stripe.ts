import { Hono } from "hono";
import type Stripe from "stripe";
import { secretPair } from "../integrations/core/hmac";
import { verifyStripeEvent } from "../integrations/stripe/webhook-signature";
import type { AppEnv } from "../src/env";
import { dispatchStripe, normalizeStripe } from "../src/intake/dispatch-stripe";
import { serializeEvent } from "../src/intake/normalized";
import { log } from "../src/log";
import { findWorkspace } from "../src/settings/workspaces";
import { findWorkspaceIdByAccount } from "../src/store/connections";
import { markWebhookEventProcessed, recordWebhookEvents } from "../src/store/webhook-events";
import { readRawBody, requireJson } from "./read-body";

/** Stripe events embed whole objects; an invoice with many lines stays far below this. */
const BODY_LIMIT = 1024 * 1024;

/** The workspace of an event: its connected account, else the metadata Clientflow wrote. */
async function workspaceOf(env: AppEnv, event: Stripe.Event): Promise<string | null> {
  if (event.account) {
    const byAccount = await findWorkspaceIdByAccount(env.DB, "stripe", event.account);
    if (byAccount) return byAccount;
  }
  const object = event.data.object as { metadata?: Record<string, string> | null };
  const fromMetadata = object.metadata?.clientflow_workspace_id;
  return fromMetadata && (await findWorkspace(env.DB, fromMetadata)) ? fromMetadata : null;
}

/**
 * POST /webhooks/stripe: raw body → Stripe-Signature → dedupe by event id →
 * route to the journey (invoice metadata) → sendEvent. Events that belong to
 * no journey are recorded and answered 2xx, so Stripe does not retry them for
 * days and disable the endpoint.
 */
export const stripeWebhook = new Hono<{ Bindings: AppEnv }>().post("/", async (c) => {
  const env = c.env;
  requireJson(c.req.raw);
  const body = await readRawBody(c.req.raw, BODY_LIMIT);
  const event = await verifyStripeEvent({
    body,
    signature: c.req.header("stripe-signature") ?? null,
    secrets: secretPair(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
  });
  const workspaceId = (await workspaceOf(env, event)) ?? "";
  const key = { provider: "stripe", workspaceId, eventId: event.id };
  const normalized = normalizeStripe(event);
  const payload = workspaceId ? serializeEvent(normalized) : null;
  const [recorded] = await recordWebhookEvents(env.DB, [{ ...key, eventType: event.type, payload }]);
  if (recorded === "duplicate") return c.json({ received: true, outcome: "duplicate" }, 200);

  const { outcome, journeyId } = workspaceId
    ? await dispatchStripe(env, { workspaceId, eventId: event.id, mode: "delivery" }, normalized, event)
    : { outcome: "unknown_tenant", journeyId: null };
  await markWebhookEventProcessed(env.DB, key, outcome, journeyId);
  log.info("stripe event", {
    provider: "stripe",
    tenant: workspaceId,
    eventId: event.id,
    journeyId: journeyId ?? undefined,
    outcome,
  });
  return c.json({ received: true, outcome }, 200);
});
