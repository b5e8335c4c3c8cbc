import { Hono } from "hono";
import { secretPair } from "../integrations/core/hmac";
import { verifyStripeEvent } from "../integrations/stripe/webhook-signature";
import { NotFoundError } from "../src/errors";
import { intake } from "../src/intake/intake";
import { connectIntakeItem, endpointIntakeItem, UNKNOWN_ACCOUNT } from "../src/intake/stripe-receipt";
import { stripeConnectionAccount, stripeEndpointById } from "../src/store/stripe-endpoints";
import { type WebhookEnv, webhookBody } from "./body";

/** Stripe events embed whole objects; an invoice with many lines stays far below this. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Stripe's two ways in. Events that belong to no journey (or no workspace)
 * are recorded and answered 2xx, so Stripe does not retry them for days and
 * disable the endpoint.
 *
 * - `POST /webhooks/stripe`: Stripe App mode, the platform's one Connect
 *   endpoint, signed with STRIPE_WEBHOOK_SECRET (or its previous value during
 *   rotation); routed by the event's `account` only.
 * - `POST /webhooks/stripe/e/:endpointId`: restricted-key mode, the endpoint
 *   Clientflow created in one business's account, signed with that
 *   endpoint's own secret; an unknown id is a 404, a bad signature a 401.
 */
export const stripeWebhook = new Hono<WebhookEnv>()
  .post("/", webhookBody(BODY_LIMIT), async (c) => {
    const env = c.env;
    const event = await verifyStripeEvent({
      body: c.var.rawBody,
      signature: c.req.header("stripe-signature") ?? null,
      secrets: secretPair(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
    });
    const [result] = await intake(env, "stripe", [await connectIntakeItem(env, event)]);
    return c.json({ received: true, outcome: result?.outcome ?? UNKNOWN_ACCOUNT }, 200);
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
    const account = await stripeConnectionAccount(env.DB, endpoint.workspaceId);
    const item = endpointIntakeItem(event, { workspaceId: endpoint.workspaceId, account });
    const [result] = await intake(env, "stripe", [item]);
    return c.json({ received: true, outcome: result?.outcome ?? UNKNOWN_ACCOUNT }, 200);
  });
