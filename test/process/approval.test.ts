import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { approvalToken } from "../../src/engine/approval-links";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, SENDER_EMAIL, useWorld, watchJourney } from "../world";

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
    await using instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
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

  it("emails the owner a link that approves on POST (never on GET), and refuses forged or expired links", async () => {
    const { workspaceId, browser } = await (async () => {
      const session = await signIn(world, { sub: "owner-approval-link", email: "link@studio.test" });
      return { ...session, workspaceId: (await findOwner(env.DB, "owner-approval-link"))?.workspaceId ?? "" };
    })();
    await connectWorkspace(env, workspaceId, "4410051");
    await saveTemplate(env.DB, workspaceId, gated, "owner-approval-link");
    const email = addWonDeal(world, "8502");
    const journeyId = await onboardingJourneyId(workspaceId, "8502");
    await using instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await postHubspot(JSON.stringify([dealStageEvent("4410051", "8502", "closedwon", 98002)]));
    await instance.waitForStepResult({ name: "onboarding.welcome-email.approval-request" });

    const request = world.google.sent.find((m) => m.to.includes(SENDER_EMAIL) && m.text.includes("Brand sprint 8502"));
    expect(request?.subject).toBe("Approve: onboarding.welcome-email for Grace Hopper");
    const link = /https:\/\/clientflow\.test(\/a\/\S+)/.exec(request?.text ?? "")?.[1] ?? "";
    expect(link).not.toBe("");

    const confirm = await browser.fetch(link);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Approve");
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);

    const forged = `${link.slice(0, -4)}AAAA`;
    expect((await browser.fetch(forged, { method: "POST" })).status).toBe(404);
    const expiredToken = await approvalToken(env, journeyId, "onboarding.welcome-email", Date.now() - 31 * 86_400_000);
    expect((await browser.fetch(`/a/${expiredToken}`, { method: "POST" })).status).toBe(404);

    const approved = await browser.fetch(link, { method: "POST" });
    expect(approved.status).toBe(200);
    await instance.waitForStatus("complete");
    expect(sideEffects(world, journeyId, email).emails.map((m) => m.subject)).toEqual(["Welcome, Grace"]);
  });
});
