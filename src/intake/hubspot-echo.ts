import type { AppEnv } from "../env";
import { findWorkspace } from "../settings/workspaces";
import { createdByUs, wroteValueBetween } from "../store/hubspot-own-writes";
import type { NormalizedEvent } from "./normalized";

type HubspotNormalized = Extract<NormalizedEvent, { type: `hubspot.${string}` }>;

/** Why a HubSpot event starts nothing: Clientflow's own write came back, or a CRM import the owner did not opt into. */
export type EchoReason = "own_write" | "import";

/**
 * How far apart HubSpot's `occurredAt` of a property change and our journal's
 * time of the write may be for the change to be ours: the write's round trip
 * plus clock skew, with room. Short, so that the owner setting the same value
 * again later is still their change.
 */
export const ECHO_WINDOW_MS = 5 * 60_000;

/** How long the journal is worth keeping: HubSpot retries a failed delivery for about a day; a week is ample. */
export const OWN_WRITES_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * The sources HubSpot names in `changeSource` (the same values as a
 * property's history `sourceType`): `IMPORT` for a CRM import, `INTEGRATION`
 * / `API` for a change an app made through the API, with the app in
 * `sourceId`. https://developers.hubspot.com/docs/api/webhooks (event
 * payload fields `changeSource`, `sourceId`).
 */
const APP_SOURCES = new Set(["INTEGRATION", "API"]);

/** Whether `sourceId` names our HubSpot app: the bare app id, or `app:` / `appId:` before it. */
function namesOurApp(sourceId: string | undefined, appId: string | undefined): boolean {
  if (!sourceId || !appId) return false;
  return /^(?:app(?:Id)?:)?(\d+)$/i.exec(sourceId.trim())?.[1] === appId.trim();
}

/**
 * Whether a HubSpot event that would start work (a new contact or deal: a
 * lead or the end of a follow-up; a stage change: a card sync) is one to
 * ignore. Who made the change, as HubSpot delivered it, decides first (our
 * app's id in `sourceId` when `HUBSPOT_APP_ID` is set; `IMPORT`); then the
 * journal of our own writes (src/store/hubspot-own-writes.ts), which works
 * without either: an object we created, or the very stage we set within
 * ECHO_WINDOW_MS of when HubSpot says the change happened. A won deal is
 * never an echo (a lead's journey waits for it).
 */
export async function echoReason(
  env: AppEnv,
  workspaceId: string,
  event: HubspotNormalized,
  now: number = Date.now(),
): Promise<EchoReason | null> {
  if (
    event.type !== "hubspot.contact.created" &&
    event.type !== "hubspot.deal.created" &&
    event.type !== "hubspot.deal.stage_changed"
  )
    return null;
  if (event.changeSource === "IMPORT") {
    const workspace = await findWorkspace(env.DB, workspaceId);
    return workspace?.settings.hubspotImportsStartLeads ? null : "import";
  }
  if (APP_SOURCES.has(event.changeSource ?? "") && namesOurApp(event.sourceId, env.HUBSPOT_APP_ID)) return "own_write";
  switch (event.type) {
    case "hubspot.contact.created":
      return (await createdByUs(env.DB, workspaceId, "contact", event.contactId)) ? "own_write" : null;
    case "hubspot.deal.created":
      return (await createdByUs(env.DB, workspaceId, "deal", event.dealId)) ? "own_write" : null;
    case "hubspot.deal.stage_changed": {
      if (!event.stage) return null;
      const at = event.occurredAt ?? now;
      const write = { objectType: "deal" as const, objectId: event.dealId, property: "dealstage", value: event.stage };
      const ours = await wroteValueBetween(env.DB, workspaceId, write, at - ECHO_WINDOW_MS, at + ECHO_WINDOW_MS);
      return ours ? "own_write" : null;
    }
  }
}
