import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, crmObjectSchema } from "../../integrations/hubspot/schemas";
import { withConnection } from "../connections/action-context";
import { sha256Hex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { insertLead, updateLead } from "../store/leads";
import { recordLead } from "./start-lead";

export type HubspotLeadOutcome = "started" | "duplicate" | "known_client" | "no_email";

/**
 * The lead id of a HubSpot contact: one per contact, so a contact and a deal
 * created together (two webhooks) are one lead and get one auto-reply.
 */
export async function hubspotLeadId(workspaceId: string, contactId: string): Promise<string> {
  return `lead-${(await sha256Hex(`${workspaceId}:hubspot-contact:${contactId}`)).slice(0, 32)}`;
}

/**
 * A contact (or a deal for one) created in HubSpot starts the lead phase,
 * as a form submission does, unless the contact is already a client of this
 * workspace. `dealId`: the deal that brought them, so no second deal is made.
 * Reads HubSpot: call it from a durable step, not a request.
 */
export async function leadFromHubspot(
  env: AppEnv,
  workspaceId: string,
  contactId: string,
  dealId: string | null,
): Promise<HubspotLeadOutcome> {
  const known = await env.DB.prepare(
    "SELECT 1 FROM journeys WHERE workspace_id = ? AND contact_id = ? AND workflow != 'lead' LIMIT 1",
  )
    .bind(workspaceId, contactId)
    .first();
  if (known) return "known_client";
  const path = `/crm/v3/objects/contacts/${contactId}?properties=email,firstname,lastname,company,phone&associations=deals`;
  const contact = await withConnection(env, workspaceId, "hubspot", (ctx) =>
    hubspotClient(ctx).request("GET", path, crmObjectSchema),
  );
  const email = contact.properties.email?.trim();
  if (!email) return "no_email";
  const id = await hubspotLeadId(workspaceId, contactId);
  const name = `${contact.properties.firstname ?? ""} ${contact.properties.lastname ?? ""}`.trim() || email;
  const existingDeal = dealId ?? associatedIds(contact, "deals")[0] ?? null;
  const lead = {
    id,
    workspaceId,
    email,
    name,
    company: contact.properties.company ?? null,
    phone: contact.properties.phone ?? null,
    message: "",
    source: "hubspot" as const,
  };
  // The row and its HubSpot ids first, so the workflow reads them; then the instance (once).
  if (await insertLead(env.DB, lead)) {
    await updateLead(env.DB, id, { hubspotContactId: contactId, hubspotDealId: existingDeal ?? undefined });
  }
  return recordLead(env, lead);
}
