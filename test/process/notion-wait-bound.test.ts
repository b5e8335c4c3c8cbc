import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { actOnStep } from "../../src/dashboard/journeys/journey-actions";
import { stepActions } from "../../src/dashboard/journeys/journey-view";
import { MAX_UNMATCHED_EVENTS, waitRow } from "../../src/engine/wait-bound";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { notionPageChanged, sendSignal } from "../../src/runtime/protocol";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";

const world = useWorld();

/** A card, then a step that waits for the card to reach Review. */
const template = {
  name: "Review wait",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "project-card",
          name: "Create the project card",
          action: "notion.create-project-card",
          inputs: { status: "Onboarding" },
          trigger: { type: "event", event: "hubspot.deal.won" },
        },
        {
          id: "review",
          name: "Review ready",
          action: "hubspot.update-deal",
          inputs: { status: "Reviewed" },
          trigger: { type: "event", event: "notion.project.status_changed", status: "Review" },
        },
      ],
    },
  ],
};

const STEP = "onboarding.review";

describe("waiting for a Notion status is bounded", () => {
  it("unrelated events cost no card read (another page) or one (the card's own); past the bound the owner sees the hold", async () => {
    const [ws, portal, deal] = ["ws-notion-bound", "4410130", "8130"];
    await connectWorkspace(env, ws, portal, { template });
    addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 99130)]));
    await instance.waitForStepResult({ name: `${STEP}.await` });
    const card = [...world.notion.pages.values()].find((p) => world.notion.value(p.id, "Clientflow ID") === journeyId);
    if (!card) throw new Error("the project card expected");

    // The owner keeps editing the card (still "In progress"), and changes to another page reach the journey too.
    card.properties.Status = { status: { name: "In progress" } };
    const workflow = await env.JOURNEYS.get(journeyId);
    const send = (pageId: string, n: number) => sendSignal(workflow, notionPageChanged, { pageId, eventId: `e${n}` });
    const total = MAX_UNMATCHED_EVENTS + 4;
    for (let n = 0; n < total; n++) await send(n % 2 === 0 ? card.id : "other-page", n);

    const rows = async () => Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    await vi.waitFor(async () => expect((await rows())[waitRow(STEP)]).toMatchObject({ waitingFor: "operator" }), {
      timeout: 15_000,
    });
    const held = await rows();
    expect(held[waitRow(STEP)]).toMatchObject({
      status: "failed",
      label: "Waiting for the card to reach “Review”",
      lastError: `${MAX_UNMATCHED_EVENTS} events came in while waiting for the card to reach “Review”, and none was it. The wait stopped so it cannot use up the journey's step limit. Retry to wait on, or skip the step.`,
    });
    // The card was read once per event about it, and only up to the bound (the rest wait in the buffer).
    const reads = Object.keys(held).filter((name) => /^onboarding\.review\.check-\d+$/.test(name));
    expect(reads).toHaveLength(MAX_UNMATCHED_EVENTS / 2);
    const journey = await findJourney(env.DB, journeyId);
    expect(journey).toMatchObject({ status: "failed" });
    // The journey page offers the owner retry and skip on the held wait.
    const heldRow = held[waitRow(STEP)];
    if (!journey || !heldRow) throw new Error("journey and held row expected");
    expect(stepActions(journey, heldRow)).toEqual(["retry", "skip"]);

    // The owner retries: the wait goes on; the card reaches Review and the step runs.
    expect(await actOnStep(env, ws, journeyId, waitRow(STEP), "retry", "owner")).toMatchObject({
      outcome: "signalled",
    });
    card.properties.Status = { status: { name: "Review" } };
    await send(card.id, total);
    await instance.waitForStatus("complete");
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe("Reviewed");
    const after = await rows();
    expect(after[waitRow(STEP)]).toMatchObject({ status: "succeeded", result: { resumed: "by owner" } });
    expect(after[STEP]).toMatchObject({ status: "succeeded" });
    // After the retry the first buffered event about the card reads it, now in Review: one more read, no second hold.
    const allReads = Object.keys(after).filter((name) => /^onboarding\.review\.check-\d+$/.test(name));
    expect(allReads).toHaveLength(MAX_UNMATCHED_EVENTS / 2 + 1);
  });
});
