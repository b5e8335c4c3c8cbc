import { hubspotEventIdOf } from "../../intake/hubspot-event-key";
import { type NormalizedEvent, parseStoredEvent } from "../../intake/normalized";
import type { WebhookEventRow } from "../../store/webhook-events";

/** An event as the API and the page show it. */
export interface EventView {
  id: number;
  provider: string;
  /** The provider's own event id (HubSpot's rows are stored under a longer dedupe key). */
  eventId: string;
  /** The provider's event type, as delivered. */
  type: string;
  /** The normalized event that was dispatched (ids only); null for events recorded before replay existed. */
  normalized: NormalizedEvent | null;
  outcome: string | null;
  journeyId: string | null;
  receivedAt: string;
  processedAt: string | null;
  replayable: boolean;
  replay: { outcome: string | null; at: string | null; count: number } | null;
}

export function eventView(row: WebhookEventRow): EventView {
  const normalized = parseStoredEvent(row.payload);
  return {
    id: row.id,
    provider: row.provider,
    eventId: row.provider === "hubspot" ? hubspotEventIdOf(row.event_id) : row.event_id,
    type: row.event_type,
    normalized,
    outcome: row.outcome,
    journeyId: row.journey_id,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
    replayable: normalized !== null,
    replay: row.replay_count > 0 ? { outcome: row.replay_outcome, at: row.replayed_at, count: row.replay_count } : null,
  };
}

/** A readable name for an event: the normalized type where known. */
export function eventLabel(view: EventView): string {
  const n = view.normalized;
  if (!n || n.type === "hubspot.other" || n.type === "stripe.other") return view.type;
  if (n.type === "notion.event") return `notion.${n.notionType}`;
  return n.type;
}
