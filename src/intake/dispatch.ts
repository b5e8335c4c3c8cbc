import type Stripe from "stripe";
import type { AppEnv } from "../env";
import type { DispatchContext } from "./dispatch-context";
import { dispatchHubspot } from "./dispatch-hubspot";
import { dispatchNotion } from "./dispatch-notion";
import { dispatchStripe } from "./dispatch-stripe";
import type { DispatchResult, NormalizedEvent } from "./normalized";

/**
 * What a delivery knows beyond the stored normalized event, so dispatch need
 * not look it up again: the journey of a HubSpot deal (looked up for the whole
 * batch at receipt), the verified Stripe event (the payment-failed emails need
 * its link, address and amount). A replay has neither and looks them up.
 */
export interface Delivered {
  journeyId?: string | null;
  stripeEvent?: Stripe.Event;
}

/** Dispatches a normalized event, on delivery (with what the delivery knows) or on replay. */
export function dispatchEvent(
  env: AppEnv,
  ctx: DispatchContext,
  event: NormalizedEvent,
  delivered: Delivered = {},
): Promise<DispatchResult> {
  switch (event.type) {
    case "hubspot.deal.won":
    case "hubspot.deal.stage_changed":
    case "hubspot.deal.created":
    case "hubspot.contact.created":
    case "hubspot.other":
      return dispatchHubspot(env, ctx, event, "journeyId" in delivered ? delivered.journeyId : undefined);
    case "stripe.invoice.paid":
    case "stripe.invoice.payment_failed":
    case "stripe.reversal":
    case "stripe.other":
      return dispatchStripe(env, ctx, event, delivered.stripeEvent);
    case "notion.event":
      return dispatchNotion(env, ctx, event);
  }
}
