/** D1 access for `surveys` (docs/storage-schema.md). The URL token is never stored, only its hash. */

/** `sent` until the client answers. */
export type SurveyStatus = "sent" | "answered";

/** One survey as stored. */
export interface Survey {
  id: string;
  workspaceId: string;
  journeyId: string;
  question: string;
  status: SurveyStatus;
  sentAt: string;
  answeredAt: string | null;
  score: number | null;
  comment: string | null;
  signalOutcome: string | null;
  hubspotSyncedAt: string | null;
  notionSyncedAt: string | null;
}

/** A `surveys` row as D1 returns it. */
export interface SurveyRow {
  id: string;
  workspace_id: string;
  journey_id: string;
  token_hash: string;
  question: string;
  status: SurveyStatus;
  sent_at: string;
  answered_at: string | null;
  score: number | null;
  comment: string | null;
  signal_outcome: string | null;
  hubspot_synced_at: string | null;
  notion_synced_at: string | null;
}

const fromRow = (row: SurveyRow): Survey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  journeyId: row.journey_id,
  question: row.question,
  status: row.status,
  sentAt: row.sent_at,
  answeredAt: row.answered_at,
  score: row.score,
  comment: row.comment,
  signalOutcome: row.signal_outcome,
  hubspotSyncedAt: row.hubspot_synced_at,
  notionSyncedAt: row.notion_synced_at,
});

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** Inserts the survey unless one with its id exists (a journey has one survey; the first question is kept). */
export async function insertSurvey(
  db: D1Database,
  survey: { id: string; workspaceId: string; journeyId: string; tokenHash: string; question: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO surveys (id, workspace_id, journey_id, token_hash, question) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT DO NOTHING`,
    )
    .bind(survey.id, survey.workspaceId, survey.journeyId, survey.tokenHash, survey.question)
    .run();
}

/** The hash of the survey's current URL token, or null when there is no such survey. */
export async function surveyTokenHash(db: D1Database, surveyId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT token_hash FROM surveys WHERE id = ?")
    .bind(surveyId)
    .first<{ token_hash: string }>();
  return row?.token_hash ?? null;
}

/** Points the survey at a new URL token (after a key rotation made the old one underivable). */
export async function replaceSurveyTokenHash(db: D1Database, surveyId: string, tokenHash: string): Promise<void> {
  await db.prepare("UPDATE surveys SET token_hash = ?2 WHERE id = ?1").bind(surveyId, tokenHash).run();
}

/** The survey whose URL token hashes to `tokenHash`, or null. */
export async function findSurveyByTokenHash(db: D1Database, tokenHash: string): Promise<Survey | null> {
  const row = await db.prepare("SELECT * FROM surveys WHERE token_hash = ?").bind(tokenHash).first<SurveyRow>();
  return row ? fromRow(row) : null;
}

/** The survey by id, or null. */
export async function findSurvey(db: D1Database, id: string): Promise<Survey | null> {
  const row = await db.prepare("SELECT * FROM surveys WHERE id = ?").bind(id).first<SurveyRow>();
  return row ? fromRow(row) : null;
}

/**
 * Stores the answer once. True when this call stored it; false when the
 * survey was already answered (the first answer is kept unchanged).
 */
export async function recordSurveyAnswer(
  db: D1Database,
  surveyId: string,
  answer: { score: number; comment: string | null },
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE surveys SET status = 'answered', score = ?2, comment = ?3, answered_at = ${NOW}
       WHERE id = ?1 AND status = 'sent'`,
    )
    .bind(surveyId, answer.score, answer.comment)
    .run();
  return result.meta.changes > 0;
}

/** Records what signalJourney answered, so an answer whose signal was lost can be signalled again. */
export async function setSurveySignalOutcome(db: D1Database, surveyId: string, outcome: string): Promise<void> {
  await db.prepare("UPDATE surveys SET signal_outcome = ?2 WHERE id = ?1").bind(surveyId, outcome).run();
}

/** Marks the answer as written to a provider (set by the record-survey actions). */
export async function markSurveySynced(db: D1Database, surveyId: string, provider: "hubspot" | "notion") {
  const column = provider === "hubspot" ? "hubspot_synced_at" : "notion_synced_at";
  await db.prepare(`UPDATE surveys SET ${column} = ${NOW} WHERE id = ?`).bind(surveyId).run();
}
