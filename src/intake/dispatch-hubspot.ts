import type { AppEnv } from "../env";
import { startOnboarding } from "../runtime/start-journey";
import type { Workspace } from "../settings/workspaces";
import { journeysOfDeals } from "../store/journey-lookups";
import type { DispatchContext } from "./dispatch-context";
import { startTasksOnce } from "./dispatch-context";
import { echoReason } from "./hubspot-echo";
import type { HubspotChange } from "./hubspot-event-key";
import type { DispatchResult, NormalizedEvent } from "./normalized";

type HubspotNormalized = Extract<NormalizedEvent, { type: `hubspot.${string}` }>;

/** The fields of a HubSpot webhook event that normalization reads: the change, and who made it. */
export type HubspotRawEvent = Omit<HubspotChange, "portalId" | "eventId"> & {
  changeSource?: string;
  sourceId?: string;
};

/**
 * HubSpot's object type ids for the objects Clientflow reads: `0-1` contacts,
 * `0-3` deals (the generic `object.*` events carry one in `objectTypeId`).
 */
const OBJECT_TYPES: Readonly<Record<string, "contact" | "deal">> = { "0-1": "contact", "0-3": "deal" };

/**
 * The object and the change an event reports, in either format HubSpot
 * sends: the legacy subscription types name the object (`deal.propertyChange`,
 * `contact.creation`); apps on the current developer platform get the generic
 * `object.propertyChange` / `object.creation` with the object in
 * `objectTypeId`. Both are listed as subscription event types in HubSpot's
 * Webhooks API spec (PublicApiSpecs/Webhooks/.../2026-09/webhooks.json,
 * `SubscriptionCreateRequest.eventType`, with `objectTypeId`); the payload
 * format is HubSpot's changelog "Generic Webhook Subscriptions"
 * (https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions).
 */
function changeOf(event: HubspotRawEvent): { object: string; change: string } {
  const dot = event.type.indexOf(".");
  const prefix = dot < 0 ? event.type : event.type.slice(0, dot);
  const change = dot < 0 ? "" : event.type.slice(dot + 1);
  if (prefix !== "object") return { object: prefix, change };
  return { object: OBJECT_TYPES[event.objectTypeId ?? ""] ?? `object:${event.objectTypeId ?? "?"}`, change };
}

/**
 * Normalizes to `provider.object.verb`: a deal moved to the closed-won stage
 * is `hubspot.deal.won`, in the legacy and the generic format alike. Who made
 * the change (`changeSource`, `sourceId`) is kept where HubSpot sent it.
 */
export function normalizeHubspot(event: HubspotRawEvent, workspace: Workspace): HubspotNormalized {
  const { object, change } = changeOf(event);
  const origin = {
    ...(event.changeSource !== undefined && { changeSource: event.changeSource }),
    ...(event.sourceId !== undefined && { sourceId: event.sourceId }),
  };
  if (object === "deal" && change === "propertyChange" && event.propertyName === "dealstage") {
    if (event.propertyValue === workspace.settings.closedWonStage)
      return { type: "hubspot.deal.won", dealId: event.objectId, ...origin };
    return {
      type: "hubspot.deal.stage_changed",
      dealId: event.objectId,
      stage: event.propertyValue,
      occurredAt: event.occurredAt,
      ...origin,
    };
  }
  if (object === "deal" && change === "creation")
    return { type: "hubspot.deal.created", dealId: event.objectId, ...origin };
  if (object === "contact" && change === "creation")
    return { type: "hubspot.contact.created", contactId: event.objectId, ...origin };
  return { type: "hubspot.other", objectId: event.objectId };
}

/**
 * Dispatches one normalized HubSpot event. A won deal starts its journey (at
 * most once per deal); a stage change on a deal with a journey is mirrored to
 * the Notion card, and a new deal or contact is checked, by durable tasks keyed
 * by the event id. `journeyId` is the receiver's batch lookup for stage
 * changes; a replay (undefined) looks it up. HubSpot's echo of Clientflow's
 * own write, and an import, start nothing (src/intake/hubspot-echo.ts).
 */
export async function dispatchHubspot(
  env: AppEnv,
  ctx: DispatchContext,
  event: HubspotNormalized,
  journeyId?: string | null,
): Promise<DispatchResult> {
  const key = `hubspot:${ctx.eventId}`;
  // Our own write coming back, or an import the owner did not opt into: nothing starts (delivery and replay alike).
  const echo = await echoReason(env, ctx.workspaceId, event);
  if (echo) return { outcome: echo === "own_write" ? "echo" : "import_ignored", journeyId: null };
  switch (event.type) {
    case "hubspot.deal.won":
      return startOnboarding(env, ctx.workspaceId, event.dealId);
    case "hubspot.deal.stage_changed": {
      const journey =
        journeyId !== undefined
          ? journeyId
          : ((await journeysOfDeals(env.DB, ctx.workspaceId, [event.dealId])).get(event.dealId) ?? null);
      if (!journey || !event.stage) return { outcome: "ignored", journeyId: null };
      const outcome = await startTasksOnce(
        env,
        ctx,
        key,
        {
          workspaceId: ctx.workspaceId,
          journeyId: journey,
          fromName: "",
          tasks: [
            {
              kind: "sync-hubspot-stage",
              step: `hubspot.stage-changed.${ctx.eventId}`,
              label: "Deal stage changed in HubSpot — card updated",
              dealId: event.dealId,
              stage: event.stage,
              occurredAt: event.occurredAt,
            },
          ],
        },
        "sync_started",
      );
      return { outcome, journeyId: journey };
    }
    case "hubspot.deal.created":
    case "hubspot.contact.created": {
      // A repurchase by a client in follow-up, or a new lead: decided by a durable task (it reads HubSpot).
      const task =
        event.type === "hubspot.deal.created"
          ? { kind: "deal-created" as const, step: `hubspot.deal-created.${ctx.eventId}`, dealId: event.dealId }
          : {
              kind: "contact-created" as const,
              step: `hubspot.contact-created.${ctx.eventId}`,
              contactId: event.contactId,
            };
      const done = event.type === "hubspot.deal.created" ? "deal_check" : "lead_check";
      const params = { workspaceId: ctx.workspaceId, journeyId: null, fromName: "", tasks: [task] };
      return { outcome: await startTasksOnce(env, ctx, key, params, done), journeyId: null };
    }
    case "hubspot.other":
      return { outcome: "ignored", journeyId: null };
  }
}
