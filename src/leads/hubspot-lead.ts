import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, crmObjectSchema } from "../../integrations/hubspot/schemas";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { contactHasJourney } from "../store/lead-journeys";
import { insertLead, updateLead } from "../store/leads";
import { hubspotLeadId } from "./lead-id";
import { recordLead } from "./start-lead";

export type HubspotLeadOutcome = "started" | "duplicate" | "known_client" | "no_email";

/**
 * A contact (or a deal for one) created in HubSpot starts the lead phase,
 * as a form submission does, unless the contact already has a journey in
 * this workspace (a client, or a lead that came through the form).
 * `dealId`: the deal that brought them, so no second deal is made.
 * Reads HubSpot: call it from a durable step, not a request.
 */
export async function leadFromHubspot(
  env: AppEnv,
  workspaceId: string,
  contactId: string,
  dealId: string | null,
): Promise<HubspotLeadOutcome> {
  const id = await hubspotLeadId(workspaceId, contactId);
  if (await contactHasJourney(env.DB, workspaceId, contactId, id)) return "known_client";
  const path = `/crm/v3/objects/contacts/${contactId}?properties=email,firstname,lastname,company,phone&associations=deals`;
  const contact = await withConnection(env, workspaceId, "hubspot", (ctx) =>
    hubspotClient(ctx).request("GET", path, crmObjectSchema),
  );
  const email = contact.properties.email?.trim();
  if (!email) return "no_email";
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
  // The row and its HubSpot ids first, so the journey reads them; then the journey (once).
  if (await insertLead(env.DB, lead)) {
    await updateLead(env.DB, id, { hubspotContactId: contactId, hubspotDealId: existingDeal ?? undefined });
  }
  return recordLead(env, lead);
}
