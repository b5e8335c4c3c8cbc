import { Hono } from "hono";
import type Stripe from "stripe";
import { verifyStripeEvent } from "../integrations/stripe/webhook-signature";
import { secretPair } from "../src/crypto/hmac";
import type { AppEnv } from "../src/env";
import { INVOICE_PAID_EVENT, type InvoicePaidPayload } from "../src/journey/onboarding-params";
import { signalJourney } from "../src/journey/signal";
import { log } from "../src/log";
import { notifyPaymentFailed } from "../src/notifications/payment-failed";
import { findWorkspaceIdByAccount } from "../src/store/connections";
import { findJourney } from "../src/store/journeys";
import { markWebhookEventProcessed, recordWebhookEvents } from "../src/store/webhook-events";
import { findWorkspace } from "../src/store/workspaces";
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

/** The journey an invoice event belongs to (its metadata names it), if it is this workspace's. */
async function journeyOfInvoice(env: AppEnv, workspaceId: string, invoice: Stripe.Invoice) {
  const journeyId = invoice.metadata?.clientflow_journey_id;
  const journey = journeyId ? await findJourney(env.DB, journeyId) : null;
  return journey && journey.workspaceId === workspaceId ? journey : null;
}

/** Signals the journey waiting for this invoice; returns the outcome to record. */
async function dispatchInvoicePaid(
  env: AppEnv,
  workspaceId: string,
  event: Stripe.Event,
): Promise<[string, string | null]> {
  const invoice = event.data.object as Stripe.Invoice;
  const journey = await journeyOfInvoice(env, workspaceId, invoice);
  if (!journey) return ["unknown_journey", null];
  if (journey.invoiceId && journey.invoiceId !== invoice.id) return ["other_invoice", journey.id];
  const payload: InvoicePaidPayload = {
    invoiceId: invoice.id ?? "",
    eventId: event.id,
    paidAt: new Date((invoice.status_transitions?.paid_at ?? event.created) * 1000).toISOString(),
  };
  const { outcome } = await signalJourney(env, journey.id, INVOICE_PAID_EVENT, { ...payload }, workspaceId);
  return [outcome, journey.id];
}

/** Tells the client and the business that a journey's invoice payment failed (durably). */
async function dispatchPaymentFailed(
  env: AppEnv,
  workspaceId: string,
  event: Stripe.Event,
): Promise<[string, string | null]> {
  const journey = await journeyOfInvoice(env, workspaceId, event.data.object as Stripe.Invoice);
  if (!journey) return ["unknown_journey", null];
  return [await notifyPaymentFailed(env, journey, event), journey.id];
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
  const [recorded] = await recordWebhookEvents(env.DB, [{ ...key, eventType: event.type }]);
  if (recorded === "duplicate") return c.json({ received: true, outcome: "duplicate" }, 200);

  let outcome = "ignored";
  let journeyId: string | null = null;
  if (!workspaceId) outcome = "unknown_tenant";
  else if (event.type === "invoice.paid") [outcome, journeyId] = await dispatchInvoicePaid(env, workspaceId, event);
  else if (event.type === "invoice.payment_failed")
    [outcome, journeyId] = await dispatchPaymentFailed(env, workspaceId, event);
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
