import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { addWonDeal } from "../journey/deal-fixture";
import { ownerWithProcess } from "../journeys/fixtures";
import { dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";

/*
 * When a process step was done (`doneAt`, src/engine/engine-steps.ts): the time delays counted from the previous
 * step start from. A step whose last action ran under the step's own name keeps that time in the action's durable
 * step (its cached output's `at`); only the others run a `<step>.done-at` step of their own.
 */

const world = useWorld();
const WELCOME = "onboarding.welcome";
const FOLLOW = "onboarding.follow";

/** A welcome email, then a second one two days after it. */
const welcomeThenFollow = {
  name: "Welcome, then two days later",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "welcome",
          name: "Welcome",
          action: "gmail.send-email",
          inputs: { subject: "Welcome, {{client.firstName}}", body: "We start on Monday." },
        },
        {
          id: "follow",
          name: "Follow-up",
          action: "gmail.send-email",
          trigger: { type: "delay", wait: { amount: 2, unit: "days" }, from: "previous" },
          inputs: { subject: "How is it going, {{client.firstName}}?", body: "Two days in." },
        },
      ],
    },
  ],
};

const DAY_MS = 86_400_000;

/** An owner running `welcomeThenFollow`, a won deal and its journey's instance, watched before the win is posted. */
async function wonJourney(sub: string, portal: string, dealId: string) {
  const o = await ownerWithProcess(world, sub, portal, welcomeThenFollow);
  addWonDeal(world, dealId);
  const journeyId = await onboardingJourneyId(o.workspaceId, dealId);
  const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
  const win = () => postHubspot(JSON.stringify([dealStageEvent(o.portal, dealId, "closedwon", Number(`1${dealId}`))]));
  return { journeyId, instance, win };
}

/** When the follow-up step is due, as its row says (once it is waiting). */
const followDue = (journeyId: string) =>
  expect.poll(async () => (await listSteps(env.DB, journeyId)).find((s) => s.name === FOLLOW)?.dueAt, {
    timeout: 10_000,
  });

describe("when a process step was done", () => {
  it("comes from the step's own action: no done-at step, and the next delay counts from that action's end", async () => {
    const { journeyId, instance, win } = await wonJourney("owner-done-at", "5530701", "9711");
    await using _ = instance;
    // A done-at step that ran would fail the journey: it must not run for the welcome.
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: `${WELCOME}.done-at` }, new Error("the done-at step ran"), 10);
    });
    await win();
    const sent = JSON.parse(String(await instance.waitForStepResult({ name: WELCOME }))) as { at?: string };
    expect(sent.at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    // The follow-up waits two days from the welcome's own step, as its row says.
    await followDue(journeyId).toBe(new Date(Date.parse(sent.at ?? "") + 2 * DAY_MS).toISOString());
    expect((await listSteps(env.DB, journeyId)).find((s) => s.name === WELCOME)).toMatchObject({ status: "succeeded" });
  });

  it("a welcome whose action step was cached before its time was kept runs its done-at step on replay", async () => {
    const { journeyId, instance, win } = await wonJourney("owner-done-at-old", "5530702", "9712");
    await using _ = instance;
    // What a Workflow instance cached for the send before this change: no `at`.
    await instance.modify(async (m) => {
      await m.mockStepResult({ name: WELCOME }, JSON.stringify({ ok: true, value: { messageId: "msg-before" } }));
    });
    await win();
    const done = String(await instance.waitForStepResult({ name: `${WELCOME}.done-at` }));
    await followDue(journeyId).toBe(new Date(Date.parse(done) + 2 * DAY_MS).toISOString());
  });
});
