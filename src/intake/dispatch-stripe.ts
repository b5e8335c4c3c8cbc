import type Stripe from "stripe";
import { withStripe } from "../../integrations/stripe/client";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { invoicePaid } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import { journeyOfInvoice, listJourneyInvoices } from "../store/journey-invoices";
import { findJourney, type Journey } from "../store/journeys";
import { notifyPaymentFailed, paymentFailedNote } from "../tasks/payment-failed";
import { type DispatchContext, tasksExist } from "./dispatch-context";
import { dispatchReversal, rulesTellOwner } from "./dispatch-reversal";
import type { DispatchResult, NormalizedEvent } from "./normalized";
import { ownInvoiceOfPayment } from "./stripe-payment-link";
import { normalizeReversal } from "./stripe-reversals";

type StripeNormalized = Extract<NormalizedEvent, { type: `stripe.${string}` }>;

/**
 * Normalizes a verified Stripe event to ids: the invoice, and the journey its
 * metadata names, kept only as a hint (dispatch matches the invoice id).
 */
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
  return normalizeReversal(event) ?? { type: "stripe.other", objectId: object.id ?? null };
}

/**
 * The journey of an invoice event: the one of this workspace that created the
 * invoice (`journey_invoices`). The metadata's journey is only a hint, checked
 * against that record: if it names a journey of this workspace that did not
 * create the invoice, the event is recorded against it as `other_invoice`.
 */
async function journeyOf(
  env: AppEnv,
  workspaceId: string,
  invoiceId: string,
  hint: string | null,
): Promise<{ journey: Journey; own: boolean } | null> {
  const ownId = await journeyOfInvoice(env.DB, workspaceId, invoiceId);
  const journey = await findJourney(env.DB, ownId ?? hint ?? "");
  if (!journey || journey.workspaceId !== workspaceId) return null;
  return { journey, own: ownId === journey.id };
}

/**
 * Dispatches one normalized Stripe event: `invoice.paid` signals the journey
 * waiting for that invoice (journeys match the invoice id, so a second signal
 * changes nothing); `invoice.payment_failed` tells the client and the
 * business by a durable task keyed by the event id. Both only for an invoice
 * the journey itself created.
 *
 * The payment-failed emails take the link and address from the delivered
 * event as it is: it reached dispatch only if Stripe signed it for this
 * workspace's account (the platform secret with the verified `account` of the
 * workspace's connection, or the secret of the endpoint Clientflow created in
 * that account), and its invoice id is one the journey created there. So its
 * `hosted_invoice_url` and `customer_email` are Stripe's own values for the
 * workspace's invoice, not text an outsider wrote. A replay (no delivered
 * event) that finds no task yet re-reads the invoice from the workspace's
 * Stripe.
 */
export async function dispatchStripe(
  env: AppEnv,
  ctx: DispatchContext,
  event: StripeNormalized,
  delivered?: Stripe.Event,
): Promise<DispatchResult> {
  if (event.type === "stripe.other") return { outcome: "ignored", journeyId: null };
  let invoiceId = event.invoiceId ?? "";
  // A charge or dispute names only its PaymentIntent: the invoice it paid is read from the workspace's Stripe.
  // A PaymentIntent that paid no invoice of ours (a sale outside Clientflow) is none of a journey's business.
  if (event.type === "stripe.reversal" && !event.invoiceId) {
    const paid = event.paymentIntentId && (await ownInvoiceOfPayment(env, ctx.workspaceId, event.paymentIntentId));
    if (!paid) return { outcome: "ignored", journeyId: null };
    invoiceId = paid;
  }
  const found = await journeyOf(env, ctx.workspaceId, invoiceId, event.journeyId);
  if (!found) return { outcome: "unknown_journey", journeyId: null };
  const { journey } = found;
  if (!found.own) return { outcome: "other_invoice", journeyId: journey.id };
  if (event.type === "stripe.reversal") return dispatchReversal(env, ctx, journey, { ...event, invoiceId });
  if (event.type === "stripe.invoice.paid") {
    // A failed instalment or an uncollectible invoice now paid: its reversal is resolved (usually nothing is open).
    const kind = (await isInstalment(env, journey.id, event.invoiceId)) ? "instalment_failed" : "uncollectible";
    const paid = { kind, state: "resolved", objectId: event.invoiceId, invoiceId: event.invoiceId } as const;
    await dispatchReversal(env, ctx, journey, paid);
    // An earlier invoice of the journey (a deposit once the balance is out): it waits on the last one.
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
  // An instalment that failed is a reversal too (the template's rules answer it). When its rule tells the owner,
  // that one email carries the payment-failed facts: the owner is not emailed twice about one failure.
  const failedInstalment = await isInstalment(env, journey.id, event.invoiceId);
  const folded = failedInstalment && (await rulesTellOwner(env, journey, "instalment_failed"));
  const outcome = await notifyPaymentFailed(env, journey, source, { tellOwner: !folded });
  if (failedInstalment) {
    const ownerNote = folded ? paymentFailedNote(source, outcome) : undefined;
    await dispatchReversal(env, ctx, journey, { ...instalment(event.invoiceId), state: "opened", ownerNote });
  }
  return { outcome, journeyId: journey.id };
}

/** Whether the journey created this invoice as one of its instalments (`journey_invoices.purpose`). */
async function isInstalment(env: AppEnv, journeyId: string, invoiceId: string): Promise<boolean> {
  const invoices = await listJourneyInvoices(env.DB, journeyId);
  return invoices.some((i) => i.invoiceId === invoiceId && i.purpose === "instalment");
}

const instalment = (invoiceId: string) => ({ kind: "instalment_failed" as const, objectId: invoiceId, invoiceId });
