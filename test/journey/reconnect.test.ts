import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { connect, location, signIn } from "../browser";
import {
  connectWorkspace,
  dealStageEvent,
  GOOGLE_REFRESH,
  postHubspot,
  SENDER_EMAIL,
  useWorld,
  watchJourney,
} from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

describe("a revoked grant pauses the journey; reconnecting resumes it at the same step", () => {
  it("invalid_grant → needs_reconnect → paused (nothing lost) → reconnect via OAuth → resumed and finished", async () => {
    const { browser } = await signIn(world, { sub: "owner-reconnect", email: "owner@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-reconnect"))?.workspaceId ?? "";
    const [portal, deal] = ["4410030", "8301"];
    await connectWorkspace(env, workspaceId, portal, { template: "onboarding" });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(workspaceId, deal);
    await using instance = await watchJourney(journeyId);

    world.google.refreshTokens.delete(GOOGLE_REFRESH); // the owner removed Clientflow from their Google account
    try {
      await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 96001)]));
      await instance.waitForStepResult({ name: "journey.pause#onboarding.welcome-email#0" });

      const paused = await findJourney(env.DB, journeyId);
      expect(paused).toMatchObject({ status: "paused", pausedFor: "google" });
      const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
      expect(steps["onboarding.welcome-email"]).toMatchObject({ status: "failed", attempts: 1 });
      expect(steps["onboarding.welcome-email"]?.lastError).toContain("Reconnect google");
      expect(steps["onboarding.invoice"]?.status).toBe("succeeded");
      const row = await env.DB.prepare("SELECT status FROM connections WHERE workspace_id = ? AND provider = 'google'")
        .bind(workspaceId)
        .first<{ status: string }>();
      expect(row?.status).toBe("needs_reconnect");
      expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);

      const page = await (await browser.fetch("/connections")).text();
      expect(page).toContain("needs reconnect");
      const callback = await connect(
        browser,
        (url) => world.google.consent(url, { sub: "studio-google", email: SENDER_EMAIL }),
        "google",
      );
      expect(location(callback)).toBe("/connections?connected=google");

      await instance.waitForStepResult({ name: "onboarding.update-deal" });
      const effects = sideEffects(world, journeyId, email);
      expect(effects.emails).toHaveLength(1);
      expect(effects.invoices).toHaveLength(1);
      expect(effects.cards).toHaveLength(1);
      const after = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
      expect(after["onboarding.welcome-email"]).toMatchObject({ status: "succeeded", lastError: null });
      expect((await findJourney(env.DB, journeyId))?.pausedFor).toBeNull();
    } finally {
      world.google.refreshTokens.add(GOOGLE_REFRESH);
    }
  });
});
