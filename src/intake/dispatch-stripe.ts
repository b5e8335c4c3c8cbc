import type Stripe from "stripe";
import { withStripe } from "../../integrations/stripe/client";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { invoicePaid } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import { findJourney } from "../store/journeys";
import { notifyPaymentFailed } from "../tasks/payment-failed";
import { type DispatchContext, tasksExist } from "./dispatch-context";
import type { DispatchResult, NormalizedEvent } from "./normalized";

type StripeNormalized = Extract<NormalizedEvent, { type: `stripe.${string}` }>;

/** Normalizes a verified Stripe event to ids: the invoice and the journey its metadata names. */
export function normalizeStripe(event: Stripe.Event): StripeNormalized {
  const object = event.data.object as { id?: string; metadata?: Record<string, string> | null };
  if (event.type === "invoice.paid" || event.type === "invoice.payment_failed") {
    const invoice = event.data.object as Stripe.Invoice;
    const journeyId = invoice.metadata?.clientflow_journey_id || null;
    if (event.type === "invoice.payment_failed")
      return { type: "stripe.invoice.payment_failed", invoiceId: invoice.id ?? "", journeyId };
    return {
      type: "stripe.invoice.paid",
      invoiceId: invoice.id ?? "",
      journeyId,
      paidAt: new Date((invoice.status_transitions?.paid_at ?? event.created) * 1000).toISOString(),
    };
  }
  return { type: "stripe.other", objectId: object.id ?? null };
}

/** The journey named by an invoice's metadata, if it is this workspace's. */
async function journeyOf(env: AppEnv, workspaceId: string, journeyId: string | null) {
  const journey = journeyId ? await findJourney(env.DB, journeyId) : null;
  return journey && journey.workspaceId === workspaceId ? journey : null;
}

/**
 * Dispatches one normalized Stripe event: `invoice.paid` signals the journey
 * waiting for that invoice (journeys match the invoice id, so a second signal
 * changes nothing); `invoice.payment_failed` tells the client and the
 * business by a durable task keyed by the event id. On delivery the receiver
 * passes the verified event (the emails need its link, address and amount);
 * a replay that finds no task yet re-reads the invoice from Stripe.
 */
export async function dispatchStripe(
  env: AppEnv,
  ctx: DispatchContext,
  event: StripeNormalized,
  delivered?: Stripe.Event,
): Promise<DispatchResult> {
  if (event.type === "stripe.other") return { outcome: "ignored", journeyId: null };
  const journey = await journeyOf(env, ctx.workspaceId, event.journeyId);
  if (!journey) return { outcome: "unknown_journey", journeyId: null };
  if (event.type === "stripe.invoice.paid") {
    if (journey.invoiceId && journey.invoiceId !== event.invoiceId)
      return { outcome: "other_invoice", journeyId: journey.id };
    const payload = { invoiceId: event.invoiceId, eventId: ctx.eventId, paidAt: event.paidAt };
    const { outcome } = await signalJourney(env, journey.id, invoicePaid, payload, ctx.workspaceId);
    return { outcome, journeyId: journey.id };
  }
  let source = delivered;
  if (!source) {
    if (await tasksExist(env, ctx.workspaceId, ctx.eventId)) return { outcome: "duplicate", journeyId: journey.id };
    const invoice = await withConnection(env, ctx.workspaceId, "stripe", (stripeCtx) =>
      withStripe(stripeCtx, (stripe) => stripe.invoices.retrieve(event.invoiceId)),
    );
    // notifyPaymentFailed reads only the event id and its invoice.
    source = { id: ctx.eventId, type: "invoice.payment_failed", data: { object: invoice } } as unknown as Stripe.Event;
  }
  return { outcome: await notifyPaymentFailed(env, journey, source), journeyId: journey.id };
}
