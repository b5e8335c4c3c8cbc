import { sha256Hex } from "../crypto/encoding";
import type { SecretKeys } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { type PublicUrlEnv, publicUrl } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import { openRecordLink, recordUrl } from "../links/record-links";
import { findJourney } from "../store/journeys";

/** The journey event sent when a client answers (Workflow event types allow no dots). */
export const SURVEY_ANSWERED_EVENT = "survey-answered";

/** The payload of {@link SURVEY_ANSWERED_EVENT}: ids and the score only, never the comment. */
export interface SurveyAnsweredPayload {
  surveyId: string;
  score: number;
}

/** Bounds of an answer: an NPS-style 0–10 score and an optional comment. */
export const SURVEY_LIMITS = { minScore: 0, maxScore: 10, commentChars: 2000, questionChars: 300 } as const;

export type SurveyStatus = "sent" | "answered";

/** One survey as stored (its link is signed, never stored). */
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

interface SurveyRow {
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

/** The journey's survey id: derived, so a journey has one survey however often the step runs. */
export async function surveyIdFor(journeyId: string): Promise<string> {
  return `srv_${(await sha256Hex(`survey:${journeyId}`)).slice(0, 32)}`;
}

/** The survey's hosted link `<public URL>/s/<token>` (a capability link of purpose "survey", issued at sending). */
export function surveyUrl(env: SecretKeys & PublicUrlEnv, survey: Pick<Survey, "id" | "sentAt">): Promise<string> {
  return recordUrl(env, LINK_PURPOSES.survey, "/s", survey);
}

/** The survey a link opens: a LinkError for a bad or expired link, a 404 when the survey is gone. */
export function surveyForLink(env: AppEnv, token: string): Promise<Survey> {
  const missing = () => new NotFoundError("unknown_survey", "No survey for this link");
  return openRecordLink(env, LINK_PURPOSES.survey, token, (id) => findSurvey(env.DB, id), missing);
}

/**
 * Creates the journey's survey once and returns its hosted link. Safe to
 * call again from a retried or replayed step: the same journey gets the same
 * survey and the same URL (the first question is kept). Built in a Workflow
 * step, so PUBLIC_URL must be set; checked before anything is stored.
 */
export async function ensureSurvey(
  env: AppEnv,
  input: { workspaceId: string; journeyId: string; question: string },
): Promise<{ surveyId: string; url: string }> {
  publicUrl(env);
  const question = input.question.trim();
  if (!question || question.length > SURVEY_LIMITS.questionChars) {
    throw new ValidationError(`The survey question must be 1–${SURVEY_LIMITS.questionChars} characters`);
  }
  const journey = await findJourney(env.DB, input.journeyId);
  if (!journey || journey.workspaceId !== input.workspaceId) {
    throw new NotFoundError("unknown_journey", "No such journey in this workspace");
  }
  const surveyId = await surveyIdFor(journey.id);
  // token_hash predates signed links (the link names the survey now); it only has to be unique.
  const tokenHash = await sha256Hex(surveyId);
  await env.DB.prepare(
    `INSERT INTO surveys (id, workspace_id, journey_id, token_hash, question) VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT DO NOTHING`,
  )
    .bind(surveyId, journey.workspaceId, journey.id, tokenHash, question)
    .run();
  const survey = await findSurvey(env.DB, surveyId);
  if (!survey) throw new AppError("survey_conflict", "The journey's survey could not be stored", 409);
  return { surveyId, url: await surveyUrl(env, survey) };
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

/**
 * The answered survey of a journey's workspace, for the record-survey
 * actions. Missing, foreign or unanswered surveys are refused (not retried).
 */
export async function answeredSurvey(
  db: D1Database,
  ctx: { workspaceId: string; journeyId: string },
  surveyId: string,
): Promise<Survey & { score: number }> {
  const survey = await findSurvey(db, surveyId);
  if (!survey || survey.workspaceId !== ctx.workspaceId || survey.journeyId !== ctx.journeyId) {
    throw new NotFoundError("unknown_survey", "No such survey for this journey");
  }
  if (survey.status !== "answered" || survey.score === null) {
    throw new AppError("survey_not_answered", "The survey has no answer yet", 409);
  }
  return { ...survey, score: survey.score };
}
