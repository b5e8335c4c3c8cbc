import { z } from "zod";
import { LEAD_ID_PROPERTY } from "../../integrations/hubspot/actions/create-deal";
import { hubspotClient } from "../../integrations/hubspot/client";
import { associatedIds, type CrmObject, crmObjectSchema } from "../../integrations/hubspot/schemas";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { leadFromHubspot } from "../leads/hubspot-lead";
import { repurchased } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import { followUpJourneysOfContacts } from "../store/journey-lookups";
import { leadJourneyOfDeal } from "../store/lead-journeys";
import type { ProcessTemplate } from "./template-schema";
import { getTemplate } from "./templates";

const dealId = z.string().regex(/^\d+$/);

/**
 * Who made a new deal, for the repurchase decision: the business (in HubSpot,
 * by hand or through their own tools), or Clientflow itself (a lead journey's
 * deal, opened for whoever filled in the public lead form).
 */
export type DealMaker = "business" | "clientflow" | "lead_journey";

/**
 * HubSpot's record-source properties, set by HubSpot on create and not
 * editable: `hs_object_source` names the tool that created the record
 * (`INTEGRATION` for an app, `API` for a private app or key) and
 * `hs_object_source_id` the app's id for those sources. HubSpot knowledge
 * base "View and use record source properties"
 * (https://knowledge.hubspot.com/properties/view-and-use-the-record-source-property);
 * a record an app created reads back as
 * `{"hs_object_source": "INTEGRATION", "hs_object_source_id": "<app id>"}`.
 * The HubSpot spec collection's Deals spec takes any property name in the
 * `properties` query of GET /crm/v3/objects/0-3/{dealId} (`getById`).
 */
const SOURCE = "hs_object_source";
const SOURCE_ID = "hs_object_source_id";
const APP_SOURCES = new Set(["INTEGRATION", "API"]);

/** The properties the decision reads, in the same GET as the deal's contacts. */
const DECISION_PROPERTIES = [SOURCE, SOURCE_ID, LEAD_ID_PROPERTY];

/**
 * Whether HubSpot says our app created the deal: an app source whose id is
 * `HUBSPOT_APP_ID` (unset: nothing is ours by this test; the lead-id stamp
 * below still is).
 */
function createdByOurApp(deal: CrmObject, appId: string | undefined): boolean {
  const source = deal.properties[SOURCE]?.trim().toUpperCase() ?? "";
  const id = deal.properties[SOURCE_ID]?.trim() ?? "";
  return APP_SOURCES.has(source) && !!appId?.trim() && id === appId.trim();
}

/**
 * Who made the deal. Read from the deal itself, so the answer does not
 * depend on which lands first, HubSpot's `deal.creation` or our journal of
 * own writes (src/store/hubspot-own-writes.ts, written after the create
 * returns): the lead-id stamp (`clientflow_lead_id`) travels in the very
 * create request (integrations/hubspot/actions/create-deal.ts), and HubSpot
 * stamps the record source on create. A lead journey holding the deal in D1
 * counts too (a lead that came with its deal from HubSpot).
 */
export async function dealMaker(env: AppEnv, workspaceId: string, deal: CrmObject): Promise<DealMaker> {
  if (deal.properties[LEAD_ID_PROPERTY]?.trim() || createdByOurApp(deal, env.HUBSPOT_APP_ID)) return "clientflow";
  if (await leadJourneyOfDeal(env.DB, workspaceId, deal.id)) return "lead_journey";
  return "business";
}

/**
 * A deal created in HubSpot. A deal the business made for a client in
 * follow-up is a repurchase: their follow-up touchpoints stop. A contact
 * Clientflow does not know yet: the lead phase starts for them (with this
 * deal). A deal Clientflow made (a lead form's) is no repurchase: anyone can
 * fill in the public form with a client's address, so the form alone never
 * ends a client's journey. Such an inquiry from a known client runs as a
 * lead journey of its own (the owner sees it and its deal in HubSpot; the
 * auto-reply is rate-limited per address, src/leads/client-network.ts); the
 * client's running journeys are untouched until the owner wins that deal
 * (src/leads/deal-won.ts ends the follow-up then). Returns what happened.
 */
export async function onDealCreated(env: AppEnv, workspaceId: string, newDealId: string): Promise<string> {
  const path = `/crm/v3/objects/deals/${dealId.parse(newDealId)}?associations=contacts&properties=${DECISION_PROPERTIES.join(",")}`;
  const deal = await withConnection(env, workspaceId, "hubspot", (ctx) =>
    hubspotClient(ctx).request("GET", path, crmObjectSchema),
  );
  const maker = await dealMaker(env, workspaceId, deal);
  if (maker !== "business") return `own_deal:${maker}`;
  const contacts = associatedIds(deal, "contacts");
  const signalled = await endFollowUps(env, workspaceId, newDealId, contacts);
  if (signalled.length > 0) return `repurchase:${signalled.length}`;
  const [contactId] = contacts;
  if (!contactId) return "no_contact";
  return `lead:${await leadFromHubspot(env, workspaceId, contactId, newDealId)}`;
}

/**
 * A repurchase: signals the running follow-up journeys of the contacts
 * (other than the journey of `newDealId`) to end; returns the ids of those
 * that took it. Only for a deal the business made or won.
 */
export async function endFollowUps(
  env: AppEnv,
  workspaceId: string,
  newDealId: string,
  contacts: readonly string[],
): Promise<string[]> {
  if (contacts.length === 0) return [];
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
  return signalled;
}

/** The steps of a phase that wait for a delay or a date (`<phase>.<step>`). */
function delaySteps(template: ProcessTemplate, phase: string): string[] {
  return template.phases
    .filter((p) => p.id === phase)
    .flatMap((p) =>
      p.steps.filter((s) => s.trigger.type === "delay" || s.trigger.type === "date").map((s) => `${p.id}.${s.id}`),
    );
}
