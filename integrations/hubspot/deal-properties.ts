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
 * The deal properties a failed HubSpot write names as not existing (a 400
 * whose body says `PROPERTY_DOESNT_EXIST`: see propertiesNotFound in
 * client.ts), or null when the failure is anything else.
 */
export function missingDealProperties(error: unknown): string[] | null {
  if (!(error instanceof IntegrationError) || error.provider !== "hubspot" || error.httpStatus !== 400) return null;
  return error.unknownFields && error.unknownFields.length > 0 ? [...error.unknownFields] : null;
}

/**
 * Creates the deal properties in the deal information group, one request
 * each. A 409 means another run created it meanwhile: fine.
 */
export async function createDealProperties(
  hubspot: HubspotClient,
  definitions: DealPropertyDefinition[],
): Promise<void> {
  for (const definition of definitions) {
    try {
      await hubspot.request("POST", "/crm/v3/properties/deals", propertySchema, {
        ...definition,
        groupName: "dealinformation",
      });
    } catch (error) {
      if (!(error instanceof IntegrationError) || error.httpStatus !== 409) throw error;
    }
  }
}

/**
 * Makes a deal write that names Clientflow-owned properties, optimistically:
 * the properties exist for every journey but an account's first, so the write
 * goes first and no property is read. Only when HubSpot refuses it because
 * some of `definitions` do not exist are those created, and the write made
 * once more. A refusal for any other reason, or naming a property Clientflow
 * does not own, is thrown as it came.
 */
export async function writeWithDealProperties<T>(
  hubspot: HubspotClient,
  definitions: DealPropertyDefinition[],
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const missing = missingDealProperties(error);
    const owned = missing?.map((name) => definitions.find((d) => d.name === name));
    if (!owned || owned.some((d) => d === undefined)) throw error;
    await createDealProperties(hubspot, owned as DealPropertyDefinition[]);
    return write();
  }
}

/**
 * Creates the named deal properties unless they exist, reading each first
 * (for a request whose answer to an unknown property is not established:
 * create-deal's search by `clientflow_lead_id`).
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
      await createDealProperties(hubspot, [definition]);
    }
  }
}
