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
  /** The normalized event as JSON (src/intake/normalized.ts), kept for replay; ids only. */
  payload?: string | null;
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
        `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, processed_at, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END, ?6)
         ON CONFLICT(provider, workspace_id, event_id) DO NOTHING`,
      )
      .bind(row.provider, row.workspaceId, row.eventId, row.eventType, row.outcome ?? null, row.payload ?? null),
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

/** A recorded event's outcome, to be written when its batch is settled. */
export interface EventMark {
  provider: string;
  workspaceId: string;
  eventId: string;
  outcome: string;
  journeyId: string | null;
}

const markStatement = (db: D1Database, mark: EventMark) =>
  db
    .prepare(
      `UPDATE webhook_events SET outcome = ?, journey_id = COALESCE(?, journey_id),
         processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE provider = ? AND workspace_id = ? AND event_id = ?`,
    )
    .bind(mark.outcome, mark.journeyId, mark.provider, mark.workspaceId, mark.eventId);

/** Marks several events processed in one statement batch (a queue batch's worth; nothing when empty). */
export async function markWebhookEventsProcessed(db: D1Database, marks: EventMark[]): Promise<void> {
  if (marks.length === 0) return;
  await db.batch(marks.map((mark) => markStatement(db, mark)));
}

export interface WebhookEventRow {
  id: number;
  provider: string;
  workspace_id: string;
  event_id: string;
  event_type: string;
  journey_id: string | null;
  outcome: string | null;
  received_at: string;
  processed_at: string | null;
  payload: string | null;
  replay_outcome: string | null;
  replayed_at: string | null;
  replay_count: number;
}

export async function listWebhookEvents(db: D1Database, workspaceId: string, limit = 100): Promise<WebhookEventRow[]> {
  return queryWebhookEvents(db, workspaceId, { limit });
}

export interface EventQuery {
  provider?: string;
  /** An outcome, or "pending" for events not yet dispatched. */
  outcome?: string;
  /** Paging: only events older than this row id. */
  before?: number;
  limit: number;
}

/** A workspace's events, newest first, optionally filtered; `before` pages on the row id. */
export async function queryWebhookEvents(
  db: D1Database,
  workspaceId: string,
  query: EventQuery,
): Promise<WebhookEventRow[]> {
  const where = ["workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  if (query.provider) {
    where.push("provider = ?");
    params.push(query.provider);
  }
  if (query.outcome === "pending") where.push("outcome IS NULL");
  else if (query.outcome) {
    where.push("outcome = ?");
    params.push(query.outcome);
  }
  if (query.before !== undefined) {
    where.push("id < ?");
    params.push(query.before);
  }
  const { results } = await db
    .prepare(`SELECT * FROM webhook_events WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`)
    .bind(...params, query.limit)
    .all<WebhookEventRow>();
  return results;
}

/** The outcomes a workspace's events have (for the filter links). */
export async function webhookEventOutcomes(db: D1Database, workspaceId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT DISTINCT outcome FROM webhook_events WHERE workspace_id = ? AND outcome IS NOT NULL ORDER BY outcome LIMIT 30",
    )
    .bind(workspaceId)
    .all<{ outcome: string }>();
  return results.map((r) => r.outcome);
}

/** One event of the workspace by its row id; another workspace's event is not found. */
export async function findWebhookEvent(
  db: D1Database,
  workspaceId: string,
  id: number,
): Promise<WebhookEventRow | null> {
  return db
    .prepare("SELECT * FROM webhook_events WHERE id = ? AND workspace_id = ?")
    .bind(id, workspaceId)
    .first<WebhookEventRow>();
}

/**
 * Records a replay beside the delivery's own outcome (which stays): the last
 * replay's outcome and time, and how many replays there were. The event's
 * journey is filled in if the replay found one.
 */
export async function recordReplay(
  db: D1Database,
  id: number,
  outcome: string,
  journeyId: string | null,
): Promise<void> {
  await db
    .prepare(
      `UPDATE webhook_events SET replay_outcome = ?, replayed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         replay_count = replay_count + 1, journey_id = COALESCE(journey_id, ?)
       WHERE id = ?`,
    )
    .bind(outcome, journeyId, id)
    .run();
}

/** The newest event of each provider for a workspace (webhook setup status). */
export async function lastEventPerProvider(
  db: D1Database,
  workspaceId: string,
): Promise<Map<string, Pick<WebhookEventRow, "event_type" | "received_at" | "outcome">>> {
  const { results } = await db
    .prepare(
      `SELECT provider, event_type, received_at, outcome FROM webhook_events
       WHERE id IN (SELECT MAX(id) FROM webhook_events WHERE workspace_id = ? GROUP BY provider)`,
    )
    .bind(workspaceId)
    .all<{ provider: string; event_type: string; received_at: string; outcome: string | null }>();
  return new Map(results.map((r) => [r.provider, r]));
}
