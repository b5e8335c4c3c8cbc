/**
 * Per journey: what the Notion card and the HubSpot deal last reported and
 * what Clientflow last wrote to each (the ping-pong guard's memory, read by
 * src/fulfillment/sync-decision.ts).
 */
export interface SyncState {
  notionStatusSeen: string | null;
  notionSeenAt: string | null;
  notionStatusWritten: string | null;
  notionWrittenAt: string | null;
  hubspotStageSeen: string | null;
  hubspotSeenAt: string | null;
  /** occurredAt (epoch ms) of the newest HubSpot change applied. */
  hubspotEventAt: number | null;
  hubspotStageWritten: string | null;
  hubspotWrittenAt: string | null;
  lastChangeSource: "notion" | "hubspot" | null;
  lastChangeAt: string | null;
  /** Optimistic concurrency: bumped by every write. */
  version: number;
}

/** The state of a journey never synced. */
export const EMPTY_SYNC_STATE: SyncState = {
  notionStatusSeen: null,
  notionSeenAt: null,
  notionStatusWritten: null,
  notionWrittenAt: null,
  hubspotStageSeen: null,
  hubspotSeenAt: null,
  hubspotEventAt: null,
  hubspotStageWritten: null,
  hubspotWrittenAt: null,
  lastChangeSource: null,
  lastChangeAt: null,
  version: 0,
};

/** A `sync_state` row. */
interface SyncStateRow {
  notion_status_seen: string | null;
  notion_seen_at: string | null;
  notion_status_written: string | null;
  notion_written_at: string | null;
  hubspot_stage_seen: string | null;
  hubspot_seen_at: string | null;
  hubspot_event_at: number | null;
  hubspot_stage_written: string | null;
  hubspot_written_at: string | null;
  last_change_source: "notion" | "hubspot" | null;
  last_change_at: string | null;
  version: number;
}

const fromRow = (row: SyncStateRow): SyncState => ({
  notionStatusSeen: row.notion_status_seen,
  notionSeenAt: row.notion_seen_at,
  notionStatusWritten: row.notion_status_written,
  notionWrittenAt: row.notion_written_at,
  hubspotStageSeen: row.hubspot_stage_seen,
  hubspotSeenAt: row.hubspot_seen_at,
  hubspotEventAt: row.hubspot_event_at,
  hubspotStageWritten: row.hubspot_stage_written,
  hubspotWrittenAt: row.hubspot_written_at,
  lastChangeSource: row.last_change_source,
  lastChangeAt: row.last_change_at,
  version: row.version,
});

/** The journey's sync state; a journey never synced has the empty state (version 0). */
export async function loadSyncState(db: D1Database, journeyId: string): Promise<SyncState> {
  const row = await db.prepare("SELECT * FROM sync_state WHERE journey_id = ?").bind(journeyId).first<SyncStateRow>();
  return row ? fromRow(row) : { ...EMPTY_SYNC_STATE };
}

/**
 * Another writer changed the state between our read and our write. Not an
 * AppError on purpose: the durable step retries it and decides again from
 * fresh state.
 */
export class SyncConflictError extends Error {
  override name = "SyncConflictError";
  constructor(journeyId: string) {
    super(`Sync state of journey ${journeyId} changed concurrently; retry`);
  }
}

/**
 * Writes `next` if the stored version is still `next.version` (compare and
 * set), bumping it; throws SyncConflictError otherwise.
 */
export async function saveSyncState(db: D1Database, journeyId: string, next: SyncState): Promise<void> {
  const values = [
    next.notionStatusSeen,
    next.notionSeenAt,
    next.notionStatusWritten,
    next.notionWrittenAt,
    next.hubspotStageSeen,
    next.hubspotSeenAt,
    next.hubspotEventAt,
    next.hubspotStageWritten,
    next.hubspotWrittenAt,
    next.lastChangeSource,
    next.lastChangeAt,
  ];
  const columns = `notion_status_seen, notion_seen_at, notion_status_written, notion_written_at,
    hubspot_stage_seen, hubspot_seen_at, hubspot_event_at, hubspot_stage_written, hubspot_written_at,
    last_change_source, last_change_at`;
  const result =
    next.version === 0
      ? await db
          .prepare(
            `INSERT INTO sync_state (journey_id, ${columns}, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)
             ON CONFLICT(journey_id) DO NOTHING`,
          )
          .bind(journeyId, ...values)
          .run()
      : await db
          .prepare(
            `UPDATE sync_state SET notion_status_seen = ?2, notion_seen_at = ?3, notion_status_written = ?4,
               notion_written_at = ?5, hubspot_stage_seen = ?6, hubspot_seen_at = ?7, hubspot_event_at = ?8,
               hubspot_stage_written = ?9, hubspot_written_at = ?10, last_change_source = ?11,
               last_change_at = ?12, version = version + 1,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE journey_id = ?1 AND version = ?13`,
          )
          .bind(journeyId, ...values, next.version)
          .run();
  if (result.meta.changes === 0) throw new SyncConflictError(journeyId);
}

/**
 * Records a status Clientflow wrote to the card outside the sync (e.g. the
 * onboarding step that moves the card to "In progress"), so its echo is
 * recognized. Retries on a concurrent change.
 */
export async function markNotionStatusWritten(db: D1Database, journeyId: string, status: string): Promise<void> {
  await markWritten(db, journeyId, (state, at) => ({ ...state, notionStatusWritten: status, notionWrittenAt: at }));
}

/** Records a deal stage Clientflow wrote to HubSpot outside the sync (e.g. off-boarding's completed stage). */
export async function markHubspotStageWritten(db: D1Database, journeyId: string, stage: string): Promise<void> {
  await markWritten(db, journeyId, (state, at) => ({ ...state, hubspotStageWritten: stage, hubspotWrittenAt: at }));
}

async function markWritten(db: D1Database, journeyId: string, change: (state: SyncState, at: string) => SyncState) {
  for (let attempt = 0; ; attempt++) {
    const state = await loadSyncState(db, journeyId);
    try {
      await saveSyncState(db, journeyId, change(state, new Date().toISOString()));
      return;
    } catch (error) {
      if (!(error instanceof SyncConflictError) || attempt >= 2) throw error;
    }
  }
}
