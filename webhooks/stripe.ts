import { Hono } from "hono";
import { secretPair } from "../integrations/core/hmac";
import { verifyStripeEvent } from "../integrations/stripe/webhook-signature";
import { intake } from "../src/intake/intake";
import { stripeIntakeItem } from "../src/intake/stripe-receipt";
import { type WebhookEnv, webhookBody } from "./body";

/** Stripe events embed whole objects; an invoice with many lines stays far below this. */
const BODY_LIMIT = 1024 * 1024;

/**
 * POST /webhooks/stripe: raw body (shared middleware) → Stripe-Signature →
 * intake item (workspace, normalized event) → intake. Events that belong to
 * no journey are recorded and answered 2xx, so Stripe does not retry them for
 * days and disable the endpoint.
 */
export const stripeWebhook = new Hono<WebhookEnv>().post("/", webhookBody(BODY_LIMIT), async (c) => {
  const env = c.env;
  const event = await verifyStripeEvent({
    body: c.var.rawBody,
    signature: c.req.header("stripe-signature") ?? null,
    secrets: secretPair(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
  });
  const [result] = await intake(env, "stripe", [await stripeIntakeItem(env, event)]);
  return c.json({ received: true, outcome: result?.outcome ?? "unknown_tenant" }, 200);
});
