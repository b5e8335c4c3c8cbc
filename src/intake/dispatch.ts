import type { AppEnv } from "../env";
import type { DispatchContext } from "./dispatch-context";
import { dispatchHubspot } from "./dispatch-hubspot";
import { dispatchNotion } from "./dispatch-notion";
import { dispatchStripe } from "./dispatch-stripe";
import type { DispatchResult, NormalizedEvent } from "./normalized";

/** Dispatches a stored normalized event with the code its receiver uses on delivery. */
export function dispatchEvent(env: AppEnv, ctx: DispatchContext, event: NormalizedEvent): Promise<DispatchResult> {
  switch (event.type) {
    case "hubspot.deal.won":
    case "hubspot.deal.stage_changed":
    case "hubspot.deal.created":
    case "hubspot.contact.created":
    case "hubspot.other":
      return dispatchHubspot(env, ctx, event);
    case "stripe.invoice.paid":
    case "stripe.invoice.payment_failed":
    case "stripe.other":
      return dispatchStripe(env, ctx, event);
    case "notion.event":
      return dispatchNotion(env, ctx, event);
  }
}
