import type Stripe from "stripe";
import type { NormalizedEvent } from "./normalized";

type Reversal = Extract<NormalizedEvent, { type: "stripe.reversal" }>;

/** The id of an expandable field, whether Stripe sent the id or the object. */
const idOf = (field: string | { id: string } | null | undefined): string | null =>
  typeof field === "string" ? field : (field?.id ?? null);

/**
 * The normalized form of a reversal event, or null for any other event.
 * Since API version 2025-03-31 a Charge (and so a Dispute's charge) no longer
 * names its invoice: charges and disputes carry their PaymentIntent, which
 * dispatch links to the journey's invoice. Shapes: Stripe's Charge, Dispute
 * and Invoice (node_modules/stripe/esm/resources/*.d.ts).
 */
export function normalizeReversal(event: Stripe.Event): Reversal | null {
  const base = { type: "stripe.reversal" as const, journeyId: null, state: "opened" as const };
  switch (event.type) {
    case "charge.refunded": {
      const charge = event.data.object;
      return {
        ...base,
        kind: "refund",
        objectId: charge.id,
        invoiceId: null,
        paymentIntentId: idOf(charge.payment_intent),
        // `refunded` is true only once the whole charge is refunded.
        partial: !charge.refunded,
      };
    }
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const dispute = event.data.object;
      const closed = event.type === "charge.dispute.closed";
      // A dispute closes won (the money stays), lost, or warning_closed (an inquiry that never became a dispute).
      const lost = closed && dispute.status === "lost";
      return {
        ...base,
        kind: lost ? "dispute_lost" : "dispute",
        state: closed && !lost ? "resolved" : "opened",
        objectId: dispute.id,
        invoiceId: null,
        paymentIntentId: idOf(dispute.payment_intent),
      };
    }
    case "invoice.voided":
    case "invoice.marked_uncollectible": {
      const invoice = event.data.object;
      return {
        ...base,
        kind: event.type === "invoice.voided" ? "voided" : "uncollectible",
        objectId: invoice.id ?? "",
        invoiceId: invoice.id ?? null,
        paymentIntentId: null,
        journeyId: invoice.metadata?.clientflow_journey_id || null,
      };
    }
    default:
      return null;
  }
}
