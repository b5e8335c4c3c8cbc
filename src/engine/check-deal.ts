import { z } from "zod";
import { hubspot } from "../../integrations/hubspot";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { defineAppStep, runStepAction } from "../connections/action-context";
import { AppError } from "../errors";

/** What the owner reads on the held step (and what explain-error.ts recognises). */
export const NOTHING_TO_INVOICE = "The deal has no amount and no line items: add them in HubSpot, then retry";

/**
 * Reads the deal again from HubSpot and passes only when it has something to
 * invoice (line items or an amount). Run when the journey's snapshot has
 * neither: the owner adds them in HubSpot and retries, and the retry sees them.
 */
export const checkDealAmount = defineAppStep({
  id: "process.check-deal",
  idempotent: "natural",
  input: z.object({ dealId: z.string() }),
  async run(ctx, { dealId }): Promise<DealSnapshot> {
    const deal = await runStepAction(ctx.env, hubspot.actions.getDeal, ctx, { dealId });
    if (deal.lineItems.length === 0 && !deal.amount) throw new AppError("nothing_to_invoice", NOTHING_TO_INVOICE, 422);
    return deal;
  },
});
