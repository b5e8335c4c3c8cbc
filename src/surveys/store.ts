import { sha256Hex, toBase64Url } from "../crypto/encoding";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { AppEnv } from "../env";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { log } from "../log";
import { findJourney } from "../store/journeys";

/** Bounds of an answer: an NPS-style 0–10 score and an optional comment. */
export const SURVEY_LIMITS = { minScore: 0, maxScore: 10, commentChars: 2000, questionChars: 300 } as const;

export type SurveyStatus = "sent" | "answered";

/** One survey as stored (the URL token is never stored, only its hash). */
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
const TOKEN_PURPOSE = "survey-token";
/** base64url of a 32-byte HMAC, unpadded. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The journey's survey id: derived, so a journey has one survey however often the step runs. */
export async function surveyIdFor(journeyId: string): Promise<string> {
  return `srv_${(await sha256Hex(`survey:${journeyId}`)).slice(0, 32)}`;
}

/** Whether a path segment has the shape of a survey token (malformed ones get a 400 before any lookup). */
export function isSurveyTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/**
 * The survey's URL tokens, current key first: base64url(HMAC-SHA256(key
 * derived from ENCRYPTION_KEY for "survey-token", survey id)). Deterministic,
 * so a retried creation yields the same URL; unguessable without the key.
 */
async function candidateTokens(env: AppEnv, surveyId: string): Promise<string[]> {
  const keys = await purposeKeys(env, TOKEN_PURPOSE);
  return Promise.all(keys.map(async (key) => toBase64Url(await signWithKey(key, surveyId))));
}

function publicOrigin(origin: string | undefined): string {
  if (!origin) throw new AppError("missing_public_url", "PUBLIC_URL is not set: survey links need a public origin");
  try {
    return new URL(origin).origin;
  } catch {
    throw new AppError("missing_public_url", "The public origin for survey links is not a URL");
  }
}

/**
 * Creates the journey's survey once and returns its hosted link
 * `<origin>/s/<token>`. Safe to call again from a retried or replayed step:
 * the same journey gets the same survey and the same URL (the first
 * question is kept). `origin` defaults to PUBLIC_URL (a Workflow has no
 * request to read it from).
 */
export async function ensureSurvey(
  env: AppEnv,
  input: { workspaceId: string; journeyId: string; question: string; origin?: string },
): Promise<{ surveyId: string; url: string }> {
  const base = publicOrigin(input.origin || env.PUBLIC_URL);
  const question = input.question.trim();
  if (!question || question.length > SURVEY_LIMITS.questionChars) {
    throw new ValidationError(`The survey question must be 1–${SURVEY_LIMITS.questionChars} characters`);
  }
  const journey = await findJourney(env.DB, input.journeyId);
  if (!journey || journey.workspaceId !== input.workspaceId) {
    throw new NotFoundError("unknown_journey", "No such journey in this workspace");
  }
  const surveyId = await surveyIdFor(journey.id);
  const [token, ...older] = await candidateTokens(env, surveyId);
  if (!token) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const tokenHash = await sha256Hex(token);
  await env.DB.prepare(
    `INSERT INTO surveys (id, workspace_id, journey_id, token_hash, question) VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT DO NOTHING`,
  )
    .bind(surveyId, journey.workspaceId, journey.id, tokenHash, question)
    .run();
  const row = await env.DB.prepare("SELECT token_hash FROM surveys WHERE id = ?")
    .bind(surveyId)
    .first<{ token_hash: string }>();
  if (!row) throw new AppError("survey_conflict", "The journey's survey could not be stored", 409);
  if (row.token_hash === tokenHash) return { surveyId, url: `${base}/s/${token}` };
  // Made under ENCRYPTION_KEY_PREVIOUS: keep handing out the link already sent.
  for (const previous of older) {
    if ((await sha256Hex(previous)) === row.token_hash) return { surveyId, url: `${base}/s/${previous}` };
  }
  // Made under a key no longer configured: the old link cannot be rebuilt, so re-issue it.
  log.warn("survey link re-issued after key rotation", { tenant: journey.workspaceId, journeyId: journey.id });
  await env.DB.prepare("UPDATE surveys SET token_hash = ?2 WHERE id = ?1").bind(surveyId, tokenHash).run();
  return { surveyId, url: `${base}/s/${token}` };
}

/** The survey a URL token opens, or null (looked up by the token's hash). */
export async function findSurveyByToken(db: D1Database, token: string): Promise<Survey | null> {
  const row = await db
    .prepare("SELECT * FROM surveys WHERE token_hash = ?")
    .bind(await sha256Hex(token))
    .first<SurveyRow>();
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
