import { z } from "zod";
import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, crmObjectSchema } from "../../integrations/hubspot/schemas";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { leadFromHubspot } from "../leads/hubspot-lead";
import { signalJourney } from "../runtime/signal";
import { REPURCHASE_EVENT } from "./process-params";

const dealId = z.string().regex(/^\d+$/);

/**
 * A deal created in HubSpot. A client in follow-up who bought again: their
 * follow-up touchpoints stop. A contact Clientflow does not know yet: the
 * lead phase starts for them (with this deal). Returns what happened.
 */
export async function onDealCreated(env: AppEnv, workspaceId: string, newDealId: string): Promise<string> {
  const { signalled, contacts } = await endFollowUpOnRepurchase(env, workspaceId, newDealId);
  if (signalled.length > 0) return `repurchase:${signalled.length}`;
  const [contactId] = contacts;
  if (!contactId) return "no_contact";
  return `lead:${await leadFromHubspot(env, workspaceId, contactId, newDealId)}`;
}

/** Signals the follow-up journeys of the new deal's contacts; returns them and the contacts. */
async function endFollowUpOnRepurchase(
  env: AppEnv,
  workspaceId: string,
  newDealId: string,
): Promise<{ signalled: string[]; contacts: string[] }> {
  const path = `/crm/v3/objects/deals/${dealId.parse(newDealId)}?associations=contacts`;
  const deal = await withConnection(env, workspaceId, "hubspot", (ctx) =>
    hubspotClient(ctx).request("GET", path, crmObjectSchema),
  );
  const contacts = associatedIds(deal, "contacts");
  if (contacts.length === 0) return { signalled: [], contacts };
  const { results } = await env.DB.prepare(
    `SELECT id FROM journeys WHERE workspace_id = ? AND phase = 'follow_up' AND status IN ('running', 'waiting')
       AND deal_id != ? AND contact_id IN (${contacts.map(() => "?").join(", ")})`,
  )
    .bind(workspaceId, newDealId, ...contacts)
    .all<{ id: string }>();
  const signalled: string[] = [];
  for (const journey of results) {
    const { outcome } = await signalJourney(env, journey.id, REPURCHASE_EVENT, { dealId: newDealId }, workspaceId);
    if (outcome === "signalled") signalled.push(journey.id);
  }
  return { signalled, contacts };
}
