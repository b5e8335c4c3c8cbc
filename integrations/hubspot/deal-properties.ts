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
 * Properties this isolate saw exist (or is checking), by `<account>:<name>`:
 * a property is made once per account, so reading it again before every deal
 * update (three updates per onboarding, hundreds of journeys in a burst)
 * spends the account's HubSpot rate budget on nothing. Concurrent journeys
 * share one check. A failed check is forgotten; a write that fails because
 * a property was deleted since drops it too (`forgetDealProperties`).
 */
const known = new Map<string, Promise<void>>();

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
    if (account === undefined) {
      await ensureDealProperty(hubspot, definition);
      continue;
    }
    const key = `${account}:${definition.name}`;
    const seen = known.get(key);
    if (seen) remembered = true;
    const check = seen ?? ensureDealProperty(hubspot, definition);
    if (!seen) {
      known.set(key, check);
      check.catch(() => known.delete(key));
    }
    await check;
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
