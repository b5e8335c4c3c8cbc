import { z } from "zod";
import { REVERSAL_KINDS, REVERSAL_STATES } from "../runtime/reversal-kinds";

const id = z.string().min(1).max(200);

/**
 * Who made a HubSpot change, as delivered (`changeSource` such as `CRM_UI` or
 * `INTEGRATION`, `sourceId` such as `userId:4711` or an app id): ids only,
 * kept so that the app's own changes can be told apart.
 */
const changeOrigin = {
  changeSource: z.string().max(100).optional(),
  sourceId: z.string().max(200).optional(),
};

/**
 * The normalized event a receiver dispatches, stored with the webhook event
 * so that it can be replayed. Ids only: never a raw body, a token or personal
 * data (a payment-failed replay re-reads the invoice from Stripe).
 */
export const normalizedEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hubspot.deal.won"), dealId: id, ...changeOrigin }),
  z.object({
    type: z.literal("hubspot.deal.stage_changed"),
    dealId: id,
    stage: z.string().max(200).optional(),
    occurredAt: z.number().optional(),
    ...changeOrigin,
  }),
  z.object({ type: z.literal("hubspot.deal.created"), dealId: id, ...changeOrigin }),
  z.object({ type: z.literal("hubspot.contact.created"), contactId: id, ...changeOrigin }),
  /** Any other HubSpot subscription: recorded, never dispatched. */
  z.object({ type: z.literal("hubspot.other"), objectId: id }),
  z.object({
    type: z.literal("stripe.invoice.paid"),
    invoiceId: z.string().max(200),
    journeyId: id.nullable(),
    paidAt: z.string().max(40),
  }),
  z.object({
    type: z.literal("stripe.invoice.payment_failed"),
    invoiceId: z.string().max(200),
    journeyId: id.nullable(),
  }),
  /**
   * A refund, dispute, voided or uncollectible invoice (docs/reversals.md):
   * the invoice when the event names it, else the PaymentIntent that dispatch
   * links to an invoice through Stripe's invoice payments.
   */
  z.object({
    type: z.literal("stripe.reversal"),
    kind: z.enum(REVERSAL_KINDS),
    state: z.enum(REVERSAL_STATES),
    objectId: z.string().max(200),
    invoiceId: z.string().max(200).nullable(),
    paymentIntentId: z.string().max(200).nullable(),
    journeyId: id.nullable(),
    /** A refund that leaves part of the charge paid. */
    partial: z.boolean().optional(),
  }),
  z.object({ type: z.literal("stripe.other"), objectId: z.string().max(200).nullable() }),
  z.object({
    type: z.literal("notion.event"),
    notionType: z.string().max(100),
    entityId: id,
    entityType: z.string().max(40),
  }),
]);

export type NormalizedEvent = z.output<typeof normalizedEvent>;

/** The stored payload as JSON text. */
export const serializeEvent = (event: NormalizedEvent): string => JSON.stringify(event);

/** A stored payload, or null when it is missing or no longer matches the schema. */
export function parseStoredEvent(text: string | null): NormalizedEvent | null {
  if (!text) return null;
  try {
    const parsed = normalizedEvent.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The outcome a dispatch records, and the journey it concerned. */
export interface DispatchResult {
  outcome: string;
  journeyId: string | null;
}
