import { z } from "zod";
import type { HubspotClient } from "./client";
import { type CrmObject, crmObjectSchema } from "./schemas";

/** A CRM search response (POST /crm/v3/objects/{type}/search). */
export const searchResultSchema = z.object({ total: z.number(), results: z.array(crmObjectSchema) });

/**
 * The first record of `objectType` whose `property` equals `value` (one
 * filter group, operator EQ), with the listed properties; null when none.
 * HubSpot's search index trails writes by a few seconds.
 * https://developers.hubspot.com/docs/api/crm/search
 */
export async function searchOne(
  hubspot: HubspotClient,
  objectType: "contacts" | "deals",
  filter: { property: string; value: string },
  properties: string[],
): Promise<CrmObject | null> {
  const found = await hubspot.request("POST", `/crm/v3/objects/${objectType}/search`, searchResultSchema, {
    filterGroups: [{ filters: [{ propertyName: filter.property, operator: "EQ", value: filter.value }] }],
    properties,
    limit: 1,
  });
  return found.results[0] ?? null;
}
