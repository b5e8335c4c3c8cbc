/**
 * The webhook event log and dedupe table. An event is recorded before it is
 * dispatched and marked processed after; a redelivery of a recorded but
 * unprocessed event is dispatched again (dispatch is idempotent), a
 * redelivery of a processed one is a duplicate.
 */
export type RecordResult = "new" | "retry" | "duplicate";

export async function recordWebhookEvent(
  db: D1Database,
  event: { provider: string; workspaceId: string; eventId: string; eventType: string },
): Promise<RecordResult> {
  const inserted = await db
    .prepare(
      `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type) VALUES (?, ?, ?, ?)
       ON CONFLICT(provider, workspace_id, event_id) DO NOTHING`,
    )
    .bind(event.provider, event.workspaceId, event.eventId, event.eventType)
    .run();
  if (inserted.meta.changes > 0) return "new";
  const row = await db
    .prepare("SELECT processed_at FROM webhook_events WHERE provider = ? AND workspace_id = ? AND event_id = ?")
    .bind(event.provider, event.workspaceId, event.eventId)
    .first<{ processed_at: string | null }>();
  return row?.processed_at ? "duplicate" : "retry";
}

export async function markWebhookEventProcessed(
  db: D1Database,
  event: { provider: string; workspaceId: string; eventId: string },
  outcome: string,
  journeyId: string | null = null,
): Promise<void> {
  await db
    .prepare(
      `UPDATE webhook_events SET outcome = ?, journey_id = COALESCE(?, journey_id),
         processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE provider = ? AND workspace_id = ? AND event_id = ?`,
    )
    .bind(outcome, journeyId, event.provider, event.workspaceId, event.eventId)
    .run();
}

export interface WebhookEventRow {
  provider: string;
  workspace_id: string;
  event_id: string;
  event_type: string;
  journey_id: string | null;
  outcome: string | null;
  received_at: string;
  processed_at: string | null;
}

export async function listWebhookEvents(db: D1Database, workspaceId: string, limit = 100): Promise<WebhookEventRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM webhook_events WHERE workspace_id = ? ORDER BY id DESC LIMIT ?")
    .bind(workspaceId, limit)
    .all<WebhookEventRow>();
  return results;
}
