import { Hono } from "hono";
import { secretPair } from "../integrations/core/hmac";
import { verifyStripeEvent } from "../integrations/stripe/webhook-signature";
import { NotFoundError } from "../src/errors";
import { sendToIntake } from "../src/intake/intake-queue";
import { queueStripeEvent } from "../src/intake/stripe-receipt";
import { stripeEndpointById } from "../src/store/stripe-endpoints";
import { type WebhookEnv, webhookBody } from "./body";

/** Stripe events embed whole objects; an invoice with many lines stays far below this. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Stripe's two ways in: verify → one queue message → 200
 * `{ received, queued, delivery }` (503 when the queue refuses it, so Stripe
 * retries). Routing by account, dedupe and dispatch run in the queue consumer
 * (src/intake/intake-queue.ts); events that belong to no journey (or no
 * workspace) are recorded there, never answered non-2xx, so Stripe does not
 * retry them for days and disable the endpoint.
 *
 * - `POST /webhooks/stripe`: Stripe App mode, the platform's one Connect
 *   endpoint, signed with STRIPE_WEBHOOK_SECRET (or its previous value during
 *   rotation); routed by the event's `account` only.
 * - `POST /webhooks/stripe/e/:endpointId`: restricted-key mode, the endpoint
 *   Clientflow created in one business's account, signed with that
 *   endpoint's own secret (one indexed read by primary key, needed to
 *   verify); an unknown id is a 404, a bad signature a 401.
 */
export const stripeWebhook = new Hono<WebhookEnv>()
  .post("/", webhookBody(BODY_LIMIT), async (c) => {
    const env = c.env;
    const event = await verifyStripeEvent({
      body: c.var.rawBody,
      signature: c.req.header("stripe-signature") ?? null,
      secrets: secretPair(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
    });
    const delivery = crypto.randomUUID();
    await sendToIntake(env, { delivery, provider: "stripe", stripe: queueStripeEvent(event, { mode: "connect" }) });
    return c.json({ received: 1, queued: true, delivery }, 200);
  })
  .post("/e/:endpointId", webhookBody(BODY_LIMIT), async (c) => {
    const env = c.env;
    const endpoint = await stripeEndpointById(env.DB, env, c.req.param("endpointId"));
    if (!endpoint) throw new NotFoundError("unknown_tenant", "No such webhook endpoint");
    const event = await verifyStripeEvent({
      body: c.var.rawBody,
      signature: c.req.header("stripe-signature") ?? null,
      secrets: [endpoint.secret],
    });
    const route = { mode: "endpoint" as const, workspaceId: endpoint.workspaceId };
    const delivery = crypto.randomUUID();
    await sendToIntake(env, { delivery, provider: "stripe", stripe: queueStripeEvent(event, route) });
    return c.json({ received: 1, queued: true, delivery }, 200);
  });
