import { z } from "zod";
import { defineAction } from "../../core/define";
import { hubspotClient } from "../client";
import { writeWithDealProperties } from "../deal-properties";
import { crmObjectSchema } from "../schemas";

/** Deal properties Clientflow owns; created on first use in the deal information group. */
export const CLIENTFLOW_DEAL_PROPERTIES = {
  clientflow_status: "Clientflow status",
  clientflow_invoice_url: "Clientflow invoice",
  clientflow_project_url: "Clientflow project card",
} as const;

/** The name of a Clientflow-owned deal property. */
export type ClientflowDealProperty = keyof typeof CLIENTFLOW_DEAL_PROPERTIES;

/**
 * Writes journey state back onto the deal. A PATCH of the same values is
 * naturally idempotent. The PATCH goes first: only when HubSpot answers that
 * a Clientflow property does not exist (an account's first journey) is it
 * created and the PATCH sent again (writeWithDealProperties).
 */
export const updateDeal = defineAction({
  id: "hubspot.update-deal",
  idempotent: "natural",
  input: z.object({
    dealId: z.string().regex(/^\d+$/),
    properties: z.partialRecord(
      z.enum(Object.keys(CLIENTFLOW_DEAL_PROPERTIES) as [ClientflowDealProperty, ...ClientflowDealProperty[]]),
      z.string().max(1000),
    ),
  }),
  async run(ctx, { dealId, properties }) {
    const hubspot = hubspotClient(ctx);
    const definitions = (Object.keys(properties) as ClientflowDealProperty[]).map((name) => ({
      name,
      label: CLIENTFLOW_DEAL_PROPERTIES[name],
      type: "string" as const,
      fieldType: "text" as const,
    }));
    const deal = await writeWithDealProperties(hubspot, definitions, () =>
      hubspot.request("PATCH", `/crm/v3/objects/deals/${dealId}`, crmObjectSchema, { properties }),
    );
    return { dealId: deal.id };
  },
});
