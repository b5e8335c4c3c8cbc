import { IntegrationError } from "../core/errors";
import type { HubspotClient } from "./client";
import { propertySchema } from "./schemas";

/** A Clientflow-owned deal property, created on first use. */
export interface DealPropertyDefinition {
  name: string;
  label: string;
  type: "string" | "number";
  fieldType: "text" | "textarea" | "number";
}

/**
 * Creates the named deal properties in the deal information group unless
 * they exist. A 409 means a concurrent run created it: fine.
 */
export async function ensureDealProperties(
  hubspot: HubspotClient,
  definitions: DealPropertyDefinition[],
): Promise<void> {
  for (const definition of definitions) {
    try {
      await hubspot.request("GET", `/crm/v3/properties/deals/${definition.name}`, propertySchema);
    } catch (error) {
      if (!(error instanceof IntegrationError) || error.httpStatus !== 404) throw error;
      try {
        await hubspot.request("POST", "/crm/v3/properties/deals", propertySchema, {
          ...definition,
          groupName: "dealinformation",
        });
      } catch (createError) {
        if (!(createError instanceof IntegrationError) || createError.httpStatus !== 409) throw createError;
      }
    }
  }
}
