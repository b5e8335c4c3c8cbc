import { z } from "zod";
import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, crmObjectSchema } from "../../integrations/hubspot/schemas";
import type { AppEnv } from "../env";
import { signalJourney } from "../journey/signal";
import { REPURCHASE_EVENT } from "./process-params";

const dealId = z.string().regex(/^\d+$/);

/**
 * A new HubSpot deal: if its contact is a client in follow-up, that client
 * bought again, so their follow-up touchpoints stop. Returns the journeys
 * signalled.
 */
export async function endFollowUpOnRepurchase(env: AppEnv, workspaceId: string, newDealId: string): Promise<string[]> {
  const deal = await hubspotClient(env, workspaceId).request(
    "GET",
    `/crm/v3/objects/deals/${dealId.parse(newDealId)}?associations=contacts`,
    crmObjectSchema,
  );
  const contacts = associatedIds(deal, "contacts");
  if (contacts.length === 0) return [];
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
  return signalled;
}
