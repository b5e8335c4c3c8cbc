import type { ConnectionContext } from "../core/context";
import { LEAD_ID_DEFINITION } from "./actions/create-deal";
import { SURVEY_DEAL_PROPERTIES } from "./actions/record-survey";
import { CLIENTFLOW_DEAL_PROPERTIES } from "./actions/update-deal";
import { hubspotClient } from "./client";
import { createDealProperties, type DealPropertyDefinition } from "./deal-properties";

/** Every deal property Clientflow owns: the journey's (update-deal), the survey's (record-survey) and the lead's (create-deal). */
export const OWNED_DEAL_PROPERTIES: DealPropertyDefinition[] = [
  ...Object.entries(CLIENTFLOW_DEAL_PROPERTIES).map(([name, label]) => ({
    name,
    label,
    type: "string" as const,
    fieldType: "text" as const,
  })),
  ...Object.entries(SURVEY_DEAL_PROPERTIES).map(([name, definition]) => ({ name, ...definition })),
  LEAD_ID_DEFINITION,
];

/**
 * A newly connected HubSpot account gets Clientflow's deal properties at once
 * (one create each; a 409 says it exists). Without them every journey's first
 * deal write is refused until one of them creates the property: in a burst of
 * deals on a new account, each journey whose write went before the create
 * pays a refused PATCH and the creates (1.4 creates and 0.2 refused writes per
 * journey in the 1,000-deal burst, docs/rate-limits.md), all against the
 * account's 100 requests per 10 s. The journeys' write-first fallback stays
 * (writeWithDealProperties): a property deleted later is created again.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/post-crm-v3-properties-objectType
 */
export async function prepareHubspotAccount(ctx: ConnectionContext<"hubspot">): Promise<void> {
  await createDealProperties(hubspotClient(ctx), OWNED_DEAL_PROPERTIES);
}
