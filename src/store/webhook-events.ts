/**
 * The webhook event log and dedupe table. An event is recorded before it is
 * dispatched and marked processed after; a redelivery of a recorded but
 * unprocessed event is dispatched again (dispatch is idempotent), a
 * redelivery of a processed one is a duplicate.
 */
export type RecordResult = "new" | "retry" | "duplicate";

export interface EventRow {
  provider: string;
  workspaceId: string;
  eventId: string;
  eventType: string;
  /** Set when the outcome is known at receipt (ignored, unknown tenant): stored as processed. */
  outcome?: string;
}

/**
 * Records a batch of events in one round trip. Events with an outcome are
 * stored processed; the others wait for dispatch. Returns, per event, whether
 * it is new, a redelivery of an undispatched event ("retry"), or a duplicate.
 */
export async function recordWebhookEvents(db: D1Database, rows: EventRow[]): Promise<RecordResult[]> {
  if (rows.length === 0) return [];
  const inserts = rows.map((row) =>
    db
      .prepare(
        `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, processed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END)
         ON CONFLICT(provider, workspace_id, event_id) DO NOTHING`,
      )
      .bind(row.provider, row.workspaceId, row.eventId, row.eventType, row.outcome ?? null),
  );
  const results = await db.batch(inserts);
  const seen = rows.filter((_row, i) => (results[i]?.meta.changes ?? 0) === 0);
  const unprocessed = new Set<string>();
  if (seen.length > 0) {
    const lookups = await db.batch(
      seen.map((row) =>
        db
          .prepare(
            "SELECT event_id FROM webhook_events WHERE provider = ? AND workspace_id = ? AND event_id = ? AND processed_at IS NULL",
          )
          .bind(row.provider, row.workspaceId, row.eventId),
      ),
    );
    seen.forEach((row, i) => {
      if ((lookups[i]?.results.length ?? 0) > 0) unprocessed.add(`${row.workspaceId}:${row.eventId}`);
    });
  }
  return rows.map((row, i) => {
    if ((results[i]?.meta.changes ?? 0) > 0) return "new";
    return unprocessed.has(`${row.workspaceId}:${row.eventId}`) ? "retry" : "duplicate";
  });
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
