import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/journey/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { saveTemplate } from "../../src/store/process-templates";
import { signIn } from "../browser";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";

const world = useWorld();

/** Onboarding where the welcome email waits for the owner's approval. */
const gated = {
  name: "Gated",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        { id: "project-card", name: "Card", action: "notion.create-project-card", inputs: { status: "Onboarding" } },
        {
          id: "welcome-email",
          name: "Welcome",
          action: "gmail.send-email",
          approval: true,
          inputs: { subject: "Welcome, {{client.firstName}}", body: "Your project card: {{steps.project-card.url}}" },
        },
      ],
    },
  ],
};

describe("approval gate", () => {
  it("blocks the step until the owner approves it", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-approval", email: "approve@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-approval"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410050");
    await saveTemplate(env.DB, workspaceId, gated, "owner-approval");
    const email = addWonDeal(world, "8501");
    const journeyId = await onboardingJourneyId(workspaceId, "8501");
    await using instance = await watchJourney(journeyId, { binding: env.PROCESS });
    await postHubspot(JSON.stringify([dealStageEvent("4410050", "8501", "closedwon", 98001)]));

    await instance.waitForStepResult({ name: "onboarding.welcome-email.await-approval" });
    expect((await findJourney(env.DB, journeyId))?.status).toBe("waiting");
    const waiting = (await listSteps(env.DB, journeyId)).find((s) => s.name === "onboarding.welcome-email");
    expect(waiting?.status).toBe("waiting");
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);

    const noCsrf = await browser.fetch(`/api/journeys/${journeyId}/steps/onboarding.welcome-email/approve`, {
      method: "POST",
    });
    expect(noCsrf.status).toBe(403);
    const stranger = await signIn(world, { sub: "owner-stranger", email: "stranger@studio.test" });
    const foreign = await stranger.browser.fetch(`/api/journeys/${journeyId}/steps/onboarding.welcome-email/approve`, {
      method: "POST",
      headers: { "x-csrf-token": stranger.csrf },
    });
    expect(foreign.status).toBe(404);

    const approved = await browser.fetch(`/api/journeys/${journeyId}/steps/onboarding.welcome-email/approve`, {
      method: "POST",
      headers: { "x-csrf-token": csrf },
    });
    expect(approved.status).toBe(202);
    await instance.waitForStatus("complete");
    const [welcome] = sideEffects(world, journeyId, email).emails;
    expect(welcome?.subject).toBe("Welcome, Grace");
    expect(welcome?.text).toMatch(/Your project card: https:\/\/www\.notion\.so\/Project-/);
  });
});
