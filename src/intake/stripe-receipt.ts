import type Stripe from "stripe";
import type { AppEnv } from "../env";
import { stripeConnectionAccount, workspaceOfStripeAccount } from "../store/stripe-endpoints";
import { BatchLookups } from "./batch-lookups";
import { normalizeStripe } from "./dispatch-stripe";
import type { IntakeItem } from "./intake";
import type { NormalizedEvent } from "./normalized";

/** What an event that no workspace may act on is recorded as. */
export const UNKNOWN_ACCOUNT = "unknown_account";

/**
 * Which way a verified Stripe event came in: the platform's Connect endpoint
 * (routed by the event's `account` alone) or the endpoint Clientflow created
 * in one workspace's account (`workspaceId`, that endpoint's own).
 */
export type StripeRoute = { mode: "connect" } | { mode: "endpoint"; workspaceId: string };

/**
 * A verified Stripe event as the receiver queues it: ids, the normalized
 * event and, for `invoice.payment_failed` only, the few invoice fields its
 * emails use (link, address, name, number, amount), never the whole event
 * (Stripe bodies reach 1 MB; a queue message stays under 128 KB).
 */
export interface StripeQueued {
  route: StripeRoute;
  eventId: string;
  eventType: string;
  /** The event's `account` (Connect), as Stripe signed it. */
  account: string | null;
  event: Extract<NormalizedEvent, { type: `stripe.${string}` }>;
  failedInvoice?: FailedInvoice;
}

/** The fields of a failed invoice that src/tasks/payment-failed.ts reads. */
type FailedInvoice = Pick<
  Stripe.Invoice,
  "id" | "number" | "hosted_invoice_url" | "customer_email" | "customer_name" | "amount_due" | "currency"
>;

/** Builds the queued form of a verified event, on the request path (no I/O). */
export function queueStripeEvent(event: Stripe.Event, route: StripeRoute): StripeQueued {
  const queued: StripeQueued = {
    route,
    eventId: event.id,
    eventType: event.type,
    account: event.account ?? null,
    event: normalizeStripe(event),
  };
  if (event.type !== "invoice.payment_failed") return queued;
  const i = event.data.object;
  const failedInvoice: FailedInvoice = {
    id: i.id,
    number: i.number,
    hosted_invoice_url: i.hosted_invoice_url,
    customer_email: i.customer_email,
    customer_name: i.customer_name,
    amount_due: i.amount_due,
    currency: i.currency,
  };
  return { ...queued, failedInvoice };
}

/** An event recorded and acknowledged, never dispatched. */
const unrouted = (q: StripeQueued): IntakeItem => ({
  workspaceId: "",
  eventId: q.eventId,
  eventType: q.eventType,
  event: null,
  settled: UNKNOWN_ACCOUNT,
});

function routed(workspaceId: string, q: StripeQueued): IntakeItem {
  const item = { workspaceId, eventId: q.eventId, eventType: q.eventType, event: q.event };
  if (!q.failedInvoice) return item;
  // notifyPaymentFailed reads only the event id and these invoice fields.
  const stripeEvent = {
    id: q.eventId,
    type: q.eventType,
    data: { object: q.failedInvoice },
  } as unknown as Stripe.Event;
  return { ...item, delivered: { stripeEvent } };
}

/**
 * The intake item of a queued Stripe event, routed in the consumer.
 *
 * - Connect (Stripe App mode): Stripe sets `account` on every event of a
 *   connected account, and only Stripe can, since the platform secret signs
 *   it. So `account` alone routes: to the workspace whose (non-key) Stripe
 *   connection has that account id. No `account` (the platform's own
 *   events), an account no workspace connected, or one only a pasted key
 *   connected (its events come to its own endpoint) is recorded, not routed.
 *   Invoice metadata never routes: whoever creates an invoice writes it.
 *   https://docs.stripe.com/connect/webhooks
 * - Endpoint (restricted-key mode, verified with that endpoint's secret): the
 *   event is the endpoint's workspace's. Stripe sends an account endpoint its
 *   own account's events without `account`; one that carries an `account`
 *   other than the connection's is recorded, not routed.
 */
export async function stripeIntakeItem(
  env: AppEnv,
  q: StripeQueued,
  lookups = new BatchLookups(),
): Promise<IntakeItem> {
  if (q.route.mode === "connect") {
    const account = q.account;
    const workspaceId = account
      ? await lookups.once(`stripe-account:${account}`, () => workspaceOfStripeAccount(env.DB, account))
      : null;
    return workspaceId ? routed(workspaceId, q) : unrouted(q);
  }
  const workspaceId = q.route.workspaceId;
  const connected = () =>
    lookups.once(`stripe-connection:${workspaceId}`, () => stripeConnectionAccount(env.DB, workspaceId));
  if (q.account && q.account !== (await connected())) return unrouted(q);
  return routed(workspaceId, q);
}
