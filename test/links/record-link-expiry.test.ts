import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contractUrl } from "../../src/contracts/links";
import { LINK_PURPOSES } from "../../src/links/purposes";
import { surveyUrl } from "../../src/surveys/surveys";
import { sentContract } from "../contracts/helpers";
import { fetchWorker, sentSurvey } from "../surveys/helpers";

const WS = "ws-record-links";
const DAY = 86_400_000;

/** Status and h1 of a page a client opens by link. */
async function open(path: string) {
  const response = await fetchWorker(path);
  const html = await response.text();
  return { status: response.status, heading: /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? html.slice(0, 200) };
}

const setJourney = (journeyId: string, status: string) =>
  env.DB.prepare("UPDATE journeys SET status = ? WHERE id = ?").bind(status, journeyId).run();

const SURVEY_CLOSED = { status: 404, heading: "This survey has closed" };
const AGREEMENT_EXPIRED = { status: 404, heading: "Agreement link expired" };

describe("contract and survey links expire", () => {
  it("a survey link lives 90 days from sending, not a year", async () => {
    expect(LINK_PURPOSES.survey.ttlSeconds).toBe(90 * 86_400);
    const survey = await sentSurvey(WS, "j-rl-survey-old");
    expect((await open(survey.path)).status).toBe(200);
    const sentAt = new Date(Date.now() - 91 * DAY).toISOString();
    const old = new URL(await surveyUrl(env, { id: survey.surveyId, sentAt })).pathname;
    expect(await open(old)).toEqual(SURVEY_CLOSED);
    const recent = new URL(
      await surveyUrl(env, { id: survey.surveyId, sentAt: new Date(Date.now() - 89 * DAY).toISOString() }),
    ).pathname;
    expect((await open(recent)).status).toBe(200);
  });

  it("a survey link closes when its journey is cancelled or gone, and stays open after it completed", async () => {
    const cancelled = await sentSurvey(WS, "j-rl-survey-cancel");
    await setJourney("j-rl-survey-cancel", "cancelled");
    expect(await open(cancelled.path)).toEqual(SURVEY_CLOSED);

    const gone = await sentSurvey(WS, "j-rl-survey-gone");
    // Deleting a journey deletes its survey with it (ON DELETE CASCADE): the link opens nothing.
    await env.DB.prepare("DELETE FROM journeys WHERE id = 'j-rl-survey-gone'").run();
    expect(await open(gone.path)).toEqual({ status: 404, heading: "Survey not found" });

    // An onboarding-only journey completes right after sending its survey: the answer is still wanted.
    const completed = await sentSurvey(WS, "j-rl-survey-done");
    await setJourney("j-rl-survey-done", "complete");
    expect((await open(completed.path)).status).toBe(200);
  });

  it("an unsigned agreement's link closes when its journey ended in any way; a signed one stays viewable", async () => {
    for (const status of ["cancelled", "complete", "failed", "unpaid"]) {
      const contract = await sentContract(WS, `j-rl-contract-${status}`);
      expect((await open(contract.path)).status).toBe(200);
      await setJourney(`j-rl-contract-${status}`, status);
      expect(await open(contract.path)).toEqual(AGREEMENT_EXPIRED);
    }
    const signed = await sentContract(WS, "j-rl-contract-signed");
    await env.DB.prepare("UPDATE contracts SET status = 'accepted' WHERE id = ?").bind(signed.contractId).run();
    await setJourney("j-rl-contract-signed", "complete");
    expect((await open(signed.path)).status).toBe(200);
    await setJourney("j-rl-contract-signed", "cancelled");
    expect(await open(signed.path)).toEqual(AGREEMENT_EXPIRED);
  });

  it("an agreement link past its year is expired", async () => {
    const contract = await sentContract(WS, "j-rl-contract-old");
    const sentAt = new Date(Date.now() - 366 * DAY).toISOString();
    const old = new URL(await contractUrl(env, { id: contract.contractId, sentAt })).pathname;
    expect(await open(old)).toEqual(AGREEMENT_EXPIRED);
  });
});
