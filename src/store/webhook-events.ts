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

type EventKey = { provider: string; workspace_id: string; event_id: string };
const keyOf = (provider: string, workspaceId: string, eventId: string) =>
  `${provider}\u0000${workspaceId}\u0000${eventId}`;

// A queue batch's rows travel as one JSON array bound to one statement (`json_each`), so a batch is one INSERT (and,
// when it settles, one UPDATE) within D1's limit of 100 bound parameters per query, where it used to be one statement
// per event. Each row is an array; `json_extract(value, '$[n]')` reads its n-th field (a JSON string as text, null as
// NULL). A row is a few hundred bytes (ids, a type, the normalized event), and a queue batch holds at most 25 HubSpot
// deliveries of 100 events: runs of ROWS_PER_STATEMENT keep each bound array far below D1's 2,000,000 bytes for a
// string (https://developers.cloudflare.com/d1/platform/limits/), the runs of one call in one statement batch.
const ROWS_PER_STATEMENT = 500;

/** `rows` in runs of at most ROWS_PER_STATEMENT, one statement each. */
function runsOf<T>(rows: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) runs.push(rows.slice(at, at + ROWS_PER_STATEMENT));
  return runs;
}

/** Which of `rows` are recorded and not yet processed: one statement per run, in one statement batch. */
async function unprocessedKeys(db: D1Database, rows: readonly EventRow[]): Promise<Set<string>> {
  const lookups = await db.batch<EventKey>(
    runsOf(rows).map((run) =>
      db
        .prepare(
          `SELECT provider, workspace_id, event_id FROM webhook_events
           WHERE processed_at IS NULL AND (provider, workspace_id, event_id) IN (
             SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
             FROM json_each(?1))`,
        )
        .bind(JSON.stringify(run.map((row) => [row.provider, row.workspaceId, row.eventId]))),
    ),
  );
  return new Set(lookups.flatMap((r) => r.results.map((k) => keyOf(k.provider, k.workspace_id, k.event_id))));
}

/** One INSERT of a run of rows; it returns the keys it inserted (a key already recorded is left alone). */
const insertStatement = (db: D1Database, rows: readonly EventRow[]) =>
  db
    .prepare(
      `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, processed_at, payload)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
         json_extract(value, '$[3]'), json_extract(value, '$[4]'),
         CASE WHEN json_extract(value, '$[4]') IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
         json_extract(value, '$[5]')
       FROM json_each(?1) WHERE true ORDER BY key
       ON CONFLICT(provider, workspace_id, event_id) DO NOTHING
       RETURNING provider, workspace_id, event_id`,
    )
    .bind(
      JSON.stringify(
        rows.map((row) => [
          row.provider,
          row.workspaceId,
          row.eventId,
          row.eventType,
          row.outcome ?? null,
          row.payload ?? null,
        ]),
      ),
    );

/**
 * Records a batch of events in one statement per 500 rows, in one statement batch (before 2026-12-01, one statement
 * per event: 25 for a queue batch of 25 Stripe deliveries, now one). Events with an outcome
 * are stored processed; the others wait for dispatch. Returns, per event, whether it is new, a redelivery of an
 * undispatched event ("retry"), or a duplicate. The INSERT returns the keys it inserted; every other row (a key
 * recorded before, or a later copy of a key in `rows`: the first copy is the one inserted) is looked up in one
 * more statement.
 */
export async function recordWebhookEvents(db: D1Database, rows: EventRow[]): Promise<RecordResult[]> {
  if (rows.length === 0) return [];
  const recorded = await db.batch<EventKey>(runsOf(rows).map((run) => insertStatement(db, run)));
  const inserted = new Set(
    recorded.flatMap((r) => r.results.map((k) => keyOf(k.provider, k.workspace_id, k.event_id))),
  );
  // The first row of an inserted key is new (deleting it leaves a later copy to the lookup).
  const isNew = rows.map((row) => inserted.delete(keyOf(row.provider, row.workspaceId, row.eventId)));
  const seen = rows.filter((_row, i) => !isNew[i]);
  const unprocessed = seen.length > 0 ? await unprocessedKeys(db, seen) : new Set<string>();
  return rows.map((row, i) => {
    if (isNew[i]) return "new";
    return unprocessed.has(keyOf(row.provider, row.workspaceId, row.eventId)) ? "retry" : "duplicate";
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

/** One UPDATE of a run of marks, each joined with its row on the row's unique key. */
const markStatement = (db: D1Database, marks: readonly EventMark[]) =>
  db
    .prepare(
      `UPDATE webhook_events SET outcome = json_extract(m.value, '$[0]'),
         journey_id = COALESCE(json_extract(m.value, '$[1]'), webhook_events.journey_id),
         processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       FROM json_each(?1) AS m
       WHERE webhook_events.provider = json_extract(m.value, '$[2]')
         AND webhook_events.workspace_id = json_extract(m.value, '$[3]')
         AND webhook_events.event_id = json_extract(m.value, '$[4]')`,
    )
    .bind(
      JSON.stringify(
        marks.map((mark) => [mark.outcome, mark.journeyId, mark.provider, mark.workspaceId, mark.eventId]),
      ),
    );

/**
 * Marks several events processed in one statement per 500 marks, in one statement batch (a queue batch's worth;
 * nothing when empty; before 2026-12-01, one statement per event): each row joined with its mark on the row's unique key. Two marks of one event merge
 * as if written one after the other: the later outcome, and its journey or else the earlier one's.
 */
export async function markWebhookEventsProcessed(db: D1Database, marks: EventMark[]): Promise<void> {
  if (marks.length === 0) return;
  const merged = new Map<string, EventMark>();
  for (const mark of marks) {
    const key = keyOf(mark.provider, mark.workspaceId, mark.eventId);
    merged.set(key, { ...mark, journeyId: mark.journeyId ?? merged.get(key)?.journeyId ?? null });
  }
  await db.batch(runsOf([...merged.values()]).map((run) => markStatement(db, run)));
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
