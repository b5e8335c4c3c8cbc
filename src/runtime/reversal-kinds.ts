/**
 * The kinds of money reversal a journey hears of (docs/reversals.md): a
 * refund, a dispute opened or lost, an invoice voided or marked
 * uncollectible outside the journey, a failed instalment. Shared by intake
 * (normalizing Stripe's events), the protocol (the signal) and the template
 * language (the rules), so it imports nothing.
 */
export const REVERSAL_KINDS = [
  "refund",
  "dispute",
  "dispute_lost",
  "voided",
  "uncollectible",
  "instalment_failed",
] as const;

export type ReversalKind = (typeof REVERSAL_KINDS)[number];

/** The timeline's words for each kind ("Stripe: payment refunded"). */
export const REVERSAL_LABELS: Record<ReversalKind, string> = {
  refund: "Stripe: payment refunded",
  dispute: "Stripe: payment disputed",
  dispute_lost: "Stripe: dispute lost",
  voided: "Stripe: invoice voided",
  uncollectible: "Stripe: invoice marked uncollectible",
  instalment_failed: "Stripe: instalment payment failed",
};

/** Whether a reversal begins (`opened`) or ends (`resolved`: a dispute won, a failed instalment paid). */
export const REVERSAL_STATES = ["opened", "resolved"] as const;

export type ReversalState = (typeof REVERSAL_STATES)[number];
