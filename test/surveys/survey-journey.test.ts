import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runStepAction } from "../../src/connections/action-context";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { recordSurveyOnCard, recordSurveyOnDeal } from "../../src/surveys/record-survey";
import { ensureSurvey } from "../../src/surveys/surveys";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";
import { envRecordingEvents, postAnswer, QUESTION, type SentEvent, surveyRow } from "./helpers";

const world = useWorld();

const WS = "ws-survey-journey";
const PORTAL = "5540001";
const DEAL = "6301";

describe("survey answer → a live journey → HubSpot and Notion", () => {
  it("signals survey-answered to the journey's running Workflow instance, then the steps write the answer", async () => {
    await connectWorkspace(env, WS, PORTAL, { template: "onboarding" });
    addWonDeal(world, DEAL);
    const journeyId = await onboardingJourneyId(WS, DEAL);
    await using instance = await watchJourney(journeyId);
    expect((await postHubspot(JSON.stringify([dealStageEvent(PORTAL, DEAL, "closedwon", 93001)]))).status).toBe(200);
    // The instance is now parked in its wait for invoice.paid.
    await instance.waitForStepResult({ name: "onboarding.update-deal" });

    const survey = await ensureSurvey(env, { workspaceId: WS, journeyId, question: QUESTION });
    const events: SentEvent[] = [];
    const response = await postAnswer(
      new URL(survey.url).pathname,
      { score: "10", comment: "Would hire again" },
      envRecordingEvents(events, true),
    );
    expect(response.status).toBe(200);
    expect(events).toEqual([
      { instanceId: journeyId, type: "survey-answered", payload: { surveyId: survey.surveyId, score: 10 } },
    ]);
    // The real instance took the event (a missing or finished one would have answered otherwise).
    expect((await surveyRow(survey.surveyId)).signal_outcome).toBe("signalled");
    expect((await (await env.JOURNEYS.get(journeyId)).status()).status).toMatch(/^(running|waiting)$/);

    // The answer's durable task (record-survey) writes the deal and the card; wait for it, so that the
    // direct runs below check that the steps do not write twice rather than racing the task's own run.
    await vi.waitFor(
      async () => {
        const row = await surveyRow(survey.surveyId);
        if (!row.hubspot_synced_at || !row.notion_synced_at) throw new Error("task has not written yet");
      },
      { timeout: 20_000, interval: 100 },
    );

    // The durable steps again, against the deal and card this journey created: they find their writes.
    const ctx = { workspaceId: WS, journeyId, idempotencyKey: `${journeyId}:offboarding.record-survey` };
    const [card] = [...world.notion.pages.values()];
    if (!card) throw new Error("card expected");
    await runStepAction(env, recordSurveyOnDeal, ctx, { dealId: DEAL, surveyId: survey.surveyId });
    await runStepAction(env, recordSurveyOnCard, ctx, { pageId: card.id, surveyId: survey.surveyId });
    expect(world.hubspot.deals.get(DEAL)?.properties).toMatchObject({
      clientflow_survey_score: "10",
      clientflow_survey_comment: "Would hire again",
      clientflow_status: "Onboarding: awaiting payment",
    });
    expect(card.children).toHaveLength(6);
    expect(JSON.stringify(card.children.at(-1))).toContain("Survey: 10/10");
    expect(await surveyRow(survey.surveyId)).toMatchObject({ status: "answered", score: 10 });
    const synced = await surveyRow(survey.surveyId);
    expect(synced.hubspot_synced_at).not.toBeNull();
    expect(synced.notion_synced_at).not.toBeNull();
  });
});
