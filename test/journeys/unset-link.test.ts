import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { sideEffects } from "../journey/deal-fixture";
import { setOwnerLinks, TEST_LINKS, useWorld } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();
const STEP = "onboarding.review-request";

/** An onboarding that asks for a review (the link comes from the settings). */
const REVIEW_TEMPLATE = {
  name: "Review request",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "review-request",
          name: "Ask for a review",
          approval: false,
          action: "gmail.send-email",
          inputs: { subject: "Would you share a review?", body: "Leave a review: {{links.review}}" },
        },
      ],
    },
  ],
};

describe("a client email that would carry an unset link", () => {
  it("fails its step with what to set and sends nothing; after the link is set, retry sends it", async () => {
    const owner = await ownerWithProcess(world, "owner-unset-link", "4410701", REVIEW_TEMPLATE);
    await setOwnerLinks(env, "owner-unset-link", { reviewUrl: null });
    const { email, journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8701", 96701);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });

    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const failed = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(failed).toMatchObject({ status: "failed", waitingFor: "operator" });
    expect(failed?.lastError).toContain(
      "Set the review link in Settings → Client links (on the Connections page), then retry this step",
    );
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);
    const page = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    expect(page).toContain("Set the review link in Settings");

    await setOwnerLinks(env, "owner-unset-link", { reviewUrl: TEST_LINKS.reviewUrl });
    const retried = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/${STEP}/retry`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(retried.status).toBe(202);
    await instance.waitForStatus("complete");
    const sent = sideEffects(world, journeyId, email).emails;
    expect(sent.map((m) => m.text)).toEqual([expect.stringContaining(`Leave a review: ${TEST_LINKS.reviewUrl}`)]);
    expect(sent[0]?.html).toContain(TEST_LINKS.reviewUrl);
    // The stored output names the address it went to (the agreement evidence pack shows it).
    expect((await listSteps(env.DB, journeyId)).find((s) => s.name === STEP)).toMatchObject({
      status: "succeeded",
      result: { messageId: expect.any(String), to: email },
    });
  });
});
