import type { AppEnv } from "../../src/env";
import { getConnection } from "../../src/store/connections";

/** Scopes the HubSpot app asks for (deals, contacts, line items, deal properties). */
export const hubspotScopes = [
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.line_items.read",
  "crm.schemas.deals.read",
  "crm.schemas.deals.write",
] as const;

/** The connected portal (hub) id, used for record links. */
export async function hubspotPortalId(env: AppEnv, workspaceId: string): Promise<string | undefined> {
  const connection = await getConnection(env.DB, env, workspaceId, "hubspot");
  return connection.externalAccountId ?? connection.config.portalId;
}
