import { z } from "zod";
import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, crmObjectSchema } from "../../integrations/hubspot/schemas";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { leadFromHubspot } from "../leads/hubspot-lead";
import { repurchased } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import { followUpJourneysOfContacts } from "../store/journey-lookups";
import type { ProcessTemplate } from "./template-schema";
import { getTemplate } from "./templates";

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
  const results = await followUpJourneysOfContacts(env.DB, workspaceId, newDealId, contacts);
  const signalled: string[] = [];
  for (const journey of results) {
    const { template } = await getTemplate(
      env.DB,
      workspaceId,
      journey.templateVersion ?? 0,
      journey.templateId ?? undefined,
    );
    // Each delay listens for its own repurchase signal: the one the journey waits in, or the next one, ends it.
    const delays = delaySteps(template, "follow_up").map(repurchased);
    if (delays.length === 0) continue;
    const { outcome } = await signalJourney(env, journey.id, delays, { dealId: newDealId }, workspaceId);
    if (outcome === "signalled") signalled.push(journey.id);
  }
  return { signalled, contacts };
}

/** The steps of a phase that wait for a delay or a date (`<phase>.<step>`). */
function delaySteps(template: ProcessTemplate, phase: string): string[] {
  return template.phases
    .filter((p) => p.id === phase)
    .flatMap((p) =>
      p.steps.filter((s) => s.trigger.type === "delay" || s.trigger.type === "date").map((s) => `${p.id}.${s.id}`),
    );
}
