import type { AppEnv } from "../env";
import { startOnboarding } from "../runtime/start-journey";
import type { Workspace } from "../settings/workspaces";
import { journeysOfDeals } from "../store/journey-lookups";
import type { DispatchContext } from "./dispatch-context";
import { startTasksOnce } from "./dispatch-context";
import type { DispatchResult, NormalizedEvent } from "./normalized";

type HubspotNormalized = Extract<NormalizedEvent, { type: `hubspot.${string}` }>;

/** The fields of a HubSpot webhook event that normalization reads. */
export interface HubspotRawEvent {
  objectId: string;
  type: string;
  propertyName?: string;
  propertyValue?: string;
  occurredAt?: number;
}

/** Normalizes to `provider.object.verb`: a deal moved to the closed-won stage is `hubspot.deal.won`. */
export function normalizeHubspot(event: HubspotRawEvent, workspace: Workspace): HubspotNormalized {
  if (event.type === "deal.propertyChange" && event.propertyName === "dealstage") {
    if (event.propertyValue === workspace.settings.closedWonStage)
      return { type: "hubspot.deal.won", dealId: event.objectId };
    return {
      type: "hubspot.deal.stage_changed",
      dealId: event.objectId,
      stage: event.propertyValue,
      occurredAt: event.occurredAt,
    };
  }
  if (event.type === "deal.creation") return { type: "hubspot.deal.created", dealId: event.objectId };
  if (event.type === "contact.creation") return { type: "hubspot.contact.created", contactId: event.objectId };
  return { type: "hubspot.other", objectId: event.objectId };
}

/**
 * Dispatches one normalized HubSpot event. A won deal starts its journey (at
 * most once per deal); a stage change on a deal with a journey is mirrored to
 * the Notion card, and a new deal or contact is checked, by durable tasks keyed
 * by the event id. `journeyId` is the receiver's batch lookup for stage
 * changes; a replay (undefined) looks it up.
 */
export async function dispatchHubspot(
  env: AppEnv,
  ctx: DispatchContext,
  event: HubspotNormalized,
  journeyId?: string | null,
): Promise<DispatchResult> {
  const key = `hubspot:${ctx.eventId}`;
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
