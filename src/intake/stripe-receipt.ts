import type Stripe from "stripe";
import type { AppEnv } from "../env";
import { workspaceOfStripeAccount } from "../store/stripe-endpoints";
import { normalizeStripe } from "./dispatch-stripe";
import type { IntakeItem } from "./intake";

/** What an event that no workspace may act on is recorded as (and answered 200 with). */
export const UNKNOWN_ACCOUNT = "unknown_account";

/** An event recorded and acknowledged, never dispatched. */
const unrouted = (event: Stripe.Event): IntakeItem => ({
  workspaceId: "",
  eventId: event.id,
  eventType: event.type,
  event: null,
  settled: UNKNOWN_ACCOUNT,
});

const routed = (workspaceId: string, event: Stripe.Event): IntakeItem => ({
  workspaceId,
  eventId: event.id,
  eventType: event.type,
  event: normalizeStripe(event),
  delivered: { stripeEvent: event },
});

/**
 * Stripe App mode (the platform's Connect endpoint): Stripe sets `account` on
 * every event of a connected account, and only Stripe can, since the
 * platform secret signs it. So `account` alone routes: to the workspace whose
 * (non-key) Stripe connection has that account id. No `account` (the
 * platform's own events), an account no workspace connected, or one only a
 * pasted key connected (its events come to its own endpoint) is recorded and
 * acknowledged. Invoice metadata never routes: whoever creates an invoice
 * writes it. https://docs.stripe.com/connect/webhooks
 */
export async function connectIntakeItem(env: AppEnv, event: Stripe.Event): Promise<IntakeItem> {
  const workspaceId = event.account ? await workspaceOfStripeAccount(env.DB, event.account) : null;
  return workspaceId ? routed(workspaceId, event) : unrouted(event);
}

/**
 * Restricted-key mode (the workspace's own endpoint, verified with that
 * endpoint's secret): the event is the endpoint's workspace's. Stripe sends an
 * account endpoint its own account's events without `account`; one that
 * carries an `account` other than the connection's is recorded, not routed.
 */
export function endpointIntakeItem(
  event: Stripe.Event,
  endpoint: { workspaceId: string; account: string | null },
): IntakeItem {
  if (event.account && event.account !== endpoint.account) return unrouted(event);
  return routed(endpoint.workspaceId, event);
}
