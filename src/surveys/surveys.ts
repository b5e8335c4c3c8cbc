import { sha256Hex } from "../crypto/encoding";
import type { SecretKeys } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { type PublicUrlEnv, publicUrl } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import { openRecordLink, recordUrl } from "../links/record-links";
import { findJourney } from "../store/journeys";
import { findSurvey, insertSurvey, type Survey } from "../store/surveys";

/** Bounds of an answer: an NPS-style 0–10 score and an optional comment. */
export const SURVEY_LIMITS = { minScore: 0, maxScore: 10, commentChars: 2000, questionChars: 300 } as const;

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
  await insertSurvey(env.DB, {
    id: surveyId,
    workspaceId: journey.workspaceId,
    journeyId: journey.id,
    tokenHash,
    question,
  });
  const survey = await findSurvey(env.DB, surveyId);
  if (!survey) throw new AppError("survey_conflict", "The journey's survey could not be stored", 409);
  return { surveyId, url: await surveyUrl(env, survey) };
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
