import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { FORM_TYPE, limitedBody, type RawBodyVariables, requireContentType } from "../../http/body";
import { LinkError } from "../../links/capability";
import { log } from "../../log";
import { surveyAnswered } from "../../runtime/protocol";
import { signalJourney } from "../../runtime/signal";
import { findWorkspace } from "../../settings/workspaces";
import { findJourneyCard } from "../../store/journey-cards";
import { recordSurveyAnswer, type Survey, setSurveySignalOutcome } from "../../store/surveys";
import { SURVEY_LIMITS, surveyForLink } from "../../surveys/surveys";
import { startTasks } from "../../tasks/task-workflow";
import { hostedPageErrors, linkExpired, setHostedPageHeaders } from "../hosted-page";
import { SurveyDonePage, SurveyErrorPage, SurveyFormPage } from "./page";

type SurveyContext = Context<{ Bindings: AppEnv; Variables: RawBodyVariables }>;

/** A survey answer is a short form; anything larger is refused with 413. */
export const SURVEY_BODY_LIMIT = 16 * 1024;

const ERROR_COPY = (status: number, error?: unknown) => {
  if (linkExpired(error))
    return { title: "This survey has closed", message: "Its link has expired. Thank you anyway!" };
  if (error instanceof LinkError || status === 400) {
    return { title: "This link is not valid", message: "Check that you opened the whole link." };
  }
  if (status === 404) return { title: "Survey not found", message: "This survey link does not exist any more." };
  if (status === 413) return { title: "Your answer is too long", message: "Please shorten your comment and retry." };
  if (status === 415) return { title: "Unsupported form", message: "Please answer from the survey page." };
  return { title: "Something went wrong", message: "Your answer was not saved. Please try again later." };
};

/** The survey a path's token opens: bad or expired links and deleted surveys are 404 pages. */
const surveyOf = (c: SurveyContext): Promise<Survey> => surveyForLink(c.env, c.req.param("token") ?? "");

async function businessName(env: AppEnv, workspaceId: string): Promise<string> {
  return (await findWorkspace(env.DB, workspaceId))?.name ?? "";
}

/** A valid answer, or the reason it was refused with what the client entered (to re-render the form). */
export type ParsedSurveyAnswer =
  | { ok: true; score: number; comment: string | null }
  | { ok: false; error: string; score?: number; comment: string };

/**
 * Reads the form: `score` an integer 0–10 (required), `comment` optional,
 * trimmed, at most 2000 characters once browser CRLFs are counted as one.
 */
export function parseSurveyAnswer(form: URLSearchParams): ParsedSurveyAnswer {
  const rawScore = (form.get("score") ?? "").trim();
  const comment = (form.get("comment") ?? "").replace(/\r\n?/g, "\n").trim();
  const score = /^\d{1,2}$/.test(rawScore) ? Number(rawScore) : Number.NaN;
  const validScore = Number.isInteger(score) && score >= SURVEY_LIMITS.minScore && score <= SURVEY_LIMITS.maxScore;
  if (comment.length > SURVEY_LIMITS.commentChars) {
    return {
      ok: false,
      error: `Your comment is ${comment.length} characters long; please keep it to ${SURVEY_LIMITS.commentChars}.`,
      score: validScore ? score : undefined,
      comment: comment.slice(0, SURVEY_LIMITS.commentChars),
    };
  }
  if (!validScore) {
    return { ok: false, error: "Please choose a score from 0 to 10.", comment };
  }
  return { ok: true, score, comment: comment || null };
}

/**
 * Tells the journey once (the outcome is stored so a lost signal is re-sent
 * on the next POST) and hands the HubSpot and Notion write-back to a durable
 * task, started once per survey.
 */
async function signalAnswer(env: AppEnv, survey: Survey, score: number): Promise<void> {
  const payload = { surveyId: survey.id, score };
  const card = await findJourneyCard(env.DB, survey.journeyId);
  await startTasks(env, `survey:${survey.id}`, {
    workspaceId: survey.workspaceId,
    journeyId: survey.journeyId,
    fromName: "",
    tasks: [
      {
        kind: "record-survey",
        step: `survey.record.${survey.id}`,
        label: "Record the survey answer",
        surveyId: survey.id,
        dealId: card && /^\d+$/.test(card.dealId) ? card.dealId : null,
        pageId: card?.pageId ?? null,
      },
    ],
  });
  const { outcome } = await signalJourney(env, survey.journeyId, surveyAnswered, payload);
  await setSurveySignalOutcome(env.DB, survey.id, outcome);
  log.info("survey answered", {
    tenant: survey.workspaceId,
    journeyId: survey.journeyId,
    surveyId: survey.id,
    outcome,
  });
}

/**
 * The hosted satisfaction survey `/s/:token`. GET shows the form (or a
 * thank-you once answered); POST stores the answer once and signals the
 * journey with `survey-answered`. HubSpot and Notion are written by a
 * durable task (hubspot.record-survey, notion.record-survey), not here.
 */
export const surveyRoutes = new Hono<{ Bindings: AppEnv; Variables: RawBodyVariables }>()
  .get("/:token", async (c) => {
    const survey = await surveyOf(c);
    setHostedPageHeaders(c);
    const business = await businessName(c.env, survey.workspaceId);
    if (survey.status === "answered") return c.html(<SurveyDonePage business={business} already />);
    return c.html(<SurveyFormPage business={business} question={survey.question} />);
  })
  .post(
    "/:token",
    requireContentType(FORM_TYPE, "Send the survey as a form"),
    limitedBody(SURVEY_BODY_LIMIT),
    async (c) => {
      const survey = await surveyOf(c);
      setHostedPageHeaders(c);
      const form = new URLSearchParams(c.var.rawBody);
      const business = await businessName(c.env, survey.workspaceId);
      if (survey.status === "answered") {
        if (survey.signalOutcome === null && survey.score !== null) await signalAnswer(c.env, survey, survey.score);
        return c.html(<SurveyDonePage business={business} already />, 409);
      }
      const answer = parseSurveyAnswer(form);
      if (!answer.ok) {
        return c.html(
          <SurveyFormPage
            business={business}
            question={survey.question}
            error={answer.error}
            score={answer.score}
            comment={answer.comment}
          />,
          400,
        );
      }
      const stored = await recordSurveyAnswer(c.env.DB, survey.id, { score: answer.score, comment: answer.comment });
      if (!stored) return c.html(<SurveyDonePage business={business} already />, 409);
      await signalAnswer(c.env, survey, answer.score);
      return c.html(<SurveyDonePage business={business} already={false} />);
    },
  )
  .onError(hostedPageErrors(ERROR_COPY, (copy) => <SurveyErrorPage {...copy} />));
