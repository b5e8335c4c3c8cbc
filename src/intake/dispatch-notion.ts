import type { AppEnv } from "../env";
import { notionPageChanged } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import { findJourneyIdByCard } from "../store/journey-cards";
import type { DispatchContext } from "./dispatch-context";
import type { DispatchResult, NormalizedEvent } from "./normalized";

type NotionNormalized = Extract<NormalizedEvent, { type: "notion.event" }>;

/** Event types that can change a card's Status. */
const CARD_EVENTS = new Set(["page.properties_updated"]);

/** Normalizes a Notion event: it carries ids only, and so does this. */
export function normalizeNotion(event: { type: string; entity: { id: string; type: string } }): NotionNormalized {
  return { type: "notion.event", notionType: event.type, entityId: event.entity.id, entityType: event.entity.type };
}

/**
 * Dispatches one normalized Notion event: a changed project card signals its
 * journey, which re-reads the page (a second signal re-reads it again and
 * finds nothing new).
 */
export async function dispatchNotion(
  env: AppEnv,
  ctx: DispatchContext,
  event: NotionNormalized,
): Promise<DispatchResult> {
  if (!CARD_EVENTS.has(event.notionType) || event.entityType !== "page") return { outcome: "ignored", journeyId: null };
  const journeyId = await findJourneyIdByCard(env.DB, ctx.workspaceId, event.entityId);
  if (!journeyId) return { outcome: "unknown_journey", journeyId: null };
  const payload = { pageId: event.entityId, eventId: ctx.eventId };
  const { outcome } = await signalJourney(env, journeyId, notionPageChanged, payload, ctx.workspaceId);
  return { outcome, journeyId };
}
