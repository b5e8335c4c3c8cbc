import { z } from "zod";
import { defineAction } from "../../core/define";
import { IntegrationError } from "../../core/errors";
import { hubspotClient } from "../client";
import { ensureDealProperties, forgetDealProperties } from "../deal-properties";
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
 * naturally idempotent; missing Clientflow properties are created first.
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
    const names = Object.keys(properties) as ClientflowDealProperty[];
    const definitions = names.map((name) => ({
      name,
      label: CLIENTFLOW_DEAL_PROPERTIES[name],
      type: "string" as const,
      fieldType: "text" as const,
    }));
    // The account's properties are read once per isolate (see ensureDealProperties), not before every update.
    const account = `${ctx.apiBase}#${ctx.accountId ?? ctx.workspaceId}`;
    const remembered = await ensureDealProperties(hubspot, definitions, account);
    const write = () => hubspot.request("PATCH", `/crm/v3/objects/deals/${dealId}`, crmObjectSchema, { properties });
    const deal = await write().catch(async (error: unknown) => {
      // A property remembered but deleted in HubSpot since: HubSpot refuses the write (400); make it again, once.
      if (!remembered || !(error instanceof IntegrationError) || error.httpStatus !== 400) throw error;
      forgetDealProperties(account, names);
      await ensureDealProperties(hubspot, definitions, account);
      return write();
    });
    return { dealId: deal.id };
  },
});
