import { z } from "zod";
import type { SurveyAnswer } from "../../integrations/core/survey-answer";
import { hubspot } from "../../integrations/hubspot";
import { notion } from "../../integrations/notion";
import { type AppStepContext, defineAppStep, runStepAction } from "../connections/action-context";
import { markSurveySynced } from "../store/surveys";
import { answeredSurvey } from "./surveys";

/**
 * Reads the journey's answered survey (missing, foreign or unanswered ones
 * are refused), lets `write` put it at the provider, then marks it synced.
 */
async function recordAnswer<O>(
  ctx: AppStepContext,
  surveyId: string,
  provider: "hubspot" | "notion",
  write: (survey: SurveyAnswer) => Promise<O>,
): Promise<O> {
  const { id, score, comment } = await answeredSurvey(ctx.env.DB, ctx, surveyId);
  const result = await write({ id, score, comment });
  await markSurveySynced(ctx.env.DB, id, provider);
  return result;
}

const surveyId = z.string().min(1).max(100);

/**
 * Writes the answer of the journey's survey onto its HubSpot deal
 * (`hubspot.record-survey`). Run as a durable step after `survey-answered`.
 */
export const recordSurveyOnDeal = defineAppStep({
  id: "hubspot.record-survey",
  idempotent: "natural",
  input: z.object({ dealId: z.string().regex(/^\d+$/), surveyId }),
  run: (ctx, { dealId, surveyId }) =>
    recordAnswer(ctx, surveyId, "hubspot", (survey) =>
      runStepAction(ctx.env, hubspot.actions.recordSurvey, ctx, { dealId, survey }),
    ),
});

/** Appends the answer of the journey's survey to its Notion card (`notion.record-survey`). */
export const recordSurveyOnCard = defineAppStep({
  id: "notion.record-survey",
  idempotent: "search",
  input: z.object({ pageId: z.string().min(1), surveyId }),
  run: (ctx, { pageId, surveyId }) =>
    recordAnswer(ctx, surveyId, "notion", (survey) =>
      runStepAction(ctx.env, notion.actions.recordSurvey, ctx, { pageId, survey }),
    ),
});
