import { z } from "zod";
import { defineAction } from "../../core/define";
import { hubspotClient } from "../client";
import { crmObjectSchema } from "../schemas";

/**
 * Moves the deal to a stage (and pipeline, when the stage belongs to
 * another one). A PATCH of the same stage is naturally idempotent.
 * https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/patch-crm-v3-objects-deals-dealId
 */
export const updateDealStage = defineAction({
  id: "hubspot.update-deal-stage",
  idempotent: "natural",
  input: z.object({
    dealId: z.string().regex(/^\d+$/),
    stage: z.string().min(1).max(100),
    pipeline: z.string().min(1).max(100).optional(),
  }),
  async run(ctx, { dealId, stage, pipeline }) {
    const properties: Record<string, string> = { dealstage: stage };
    if (pipeline) properties.pipeline = pipeline;
    const deal = await hubspotClient(ctx).request("PATCH", `/crm/v3/objects/deals/${dealId}`, crmObjectSchema, {
      properties,
    });
    return { dealId: deal.id, stage };
  },
});
