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
 * Properties this isolate saw exist, by `<account>:<name>`: a property is
 * made once per account, so reading it again before every deal update (three
 * updates per onboarding, hundreds of journeys in a burst) spends the
 * account's HubSpot rate budget on nothing. Only settled facts are kept, never
 * an in-flight check: a promise made while serving one Workflow instance or
 * request must not be awaited by another (workerd refuses I/O across request
 * contexts, and such an await can hang), so journeys that start together each
 * check once. A write that fails because a property was deleted since drops it
 * (`forgetDealProperties`).
 */
const known = new Set<string>();

/** Forgets what this isolate knew exists: all of it, or the named properties of one account. */
export function forgetDealProperties(account?: string, names: string[] = []): void {
  if (account === undefined) known.clear();
  for (const name of names) known.delete(`${account}:${name}`);
}

/**
 * Creates the named deal properties in the deal information group unless
 * they exist. A 409 means a concurrent run created it: fine. With `account`
 * (the HubSpot account's key), a property already seen to exist is not read
 * again; answers whether any property was taken from that memory.
 */
export async function ensureDealProperties(
  hubspot: HubspotClient,
  definitions: DealPropertyDefinition[],
  account?: string,
): Promise<boolean> {
  let remembered = false;
  for (const definition of definitions) {
    const key = account === undefined ? undefined : `${account}:${definition.name}`;
    if (key !== undefined && known.has(key)) {
      remembered = true;
      continue;
    }
    await ensureDealProperty(hubspot, definition);
    if (key !== undefined) known.add(key);
  }
  return remembered;
}

async function ensureDealProperty(hubspot: HubspotClient, definition: DealPropertyDefinition): Promise<void> {
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
