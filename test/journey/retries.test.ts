import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { grantGmailReadonly } from "../integrations/google-scopes";
import { connectWorkspace, dealStageEvent, NOTION_BOARD, postHubspot, useWorld, watchJourney } from "../world";
import { addWonDeal, editedOnboardingPreset, sideEffects } from "./deal-fixture";

const world = useWorld();

/** 429 with Retry-After, then 500, then the real (fake) provider: counts every attempt. */
function flaky(method: "post" | "patch", url: string, bodies: { rateLimited: object; failed: object }) {
  const attempts = { count: 0 };
  const tally = () => {
    attempts.count += 1;
  };
  world.network.use(
    http[method](
      url,
      () => {
        tally();
        return HttpResponse.json(bodies.rateLimited, { status: 429, headers: { "retry-after": "1" } });
      },
      { once: true },
    ),
    http[method](
      url,
      () => {
        tally();
        return HttpResponse.json(bodies.failed, { status: 500 });
      },
      { once: true },
    ),
  );
  return attempts;
}

describe("retries", () => {
  it("429 with Retry-After, then 500, then 200: each step succeeds once with no duplicate side effect", async () => {
    const [ws, portal, deal] = ["ws-flaky", "4410010", "7001"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    // A Gmail 500 may have sent the mail: it is retried only where Sent mail can be checked first (sent-check.ts).
    await grantGmailReadonly(ws);
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    const invoice = flaky("post", `${B.STRIPE_API_BASE}/v1/invoices`, {
      rateLimited: { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" } },
      failed: { error: { type: "api_error", message: "Something went wrong" } },
    });
    const card = flaky("post", `${B.NOTION_API_BASE}/v1/pages`, {
      rateLimited: { object: "error", status: 429, code: "rate_limited", message: "Rate limited" },
      failed: { object: "error", status: 500, code: "internal_server_error", message: "Unexpected error" },
    });
    const mail = flaky("post", `${B.GOOGLE_API_BASE}/gmail/v1/users/me/messages/send`, {
      rateLimited: { error: { code: 429, message: "Rate limit exceeded", status: "RESOURCE_EXHAUSTED" } },
      failed: { error: { code: 500, message: "Backend Error", status: "INTERNAL" } },
    });
    await using instance = await watchJourney(journeyId);

    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 94001)]));
    await instance.waitForStepResult({ name: "onboarding.update-deal" });

    expect([invoice.count, card.count, mail.count]).toEqual([2, 2, 2]);
    const effects = sideEffects(world, journeyId, email);
    expect(effects.invoices).toHaveLength(1);
    expect(effects.cards).toHaveLength(1);
    expect(effects.emails).toHaveLength(1);
    const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    for (const name of ["onboarding.invoice", "onboarding.project-card", "onboarding.welcome-email"]) {
      expect(steps[name]).toMatchObject({ status: "succeeded", attempts: 3, lastError: null });
    }
    expect(steps["process.read-deal"]).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("a non-retryable 4xx fails the step at once, records why, and marks the journey failed (held for the owner)", async () => {
    const [ws, portal, deal] = ["ws-bad-board", "4410011", "7002"];
    // The board has no "Kickoff" status option: Notion answers 400 validation_error.
    const template = editedOnboardingPreset({
      "project-card": (step) => {
        step.inputs = { ...step.inputs, status: "Kickoff" };
      },
    });
    await connectWorkspace(env, ws, portal, { template });
    addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 94002)]));
    // The journey stops on the failed step and waits for the owner to retry or skip it.
    await instance.waitForStepResult({ name: "journey.hold#onboarding.project-card#0" });

    const pageAttempts = world.notion.requests
      .matching("POST", "/v1/pages")
      .filter((r) => JSON.stringify(r.body).includes(journeyId));
    expect(pageAttempts).toHaveLength(1);
    const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    expect(steps["onboarding.project-card"]).toMatchObject({ status: "failed", attempts: 1 });
    expect(steps["onboarding.project-card"]?.lastError).toContain(
      'notion answered 400: Invalid status option "Kickoff"',
    );
    expect(steps["onboarding.welcome-email"]).toBeUndefined();
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    expect(world.notion.requests.matching("POST", `/v1/data_sources/${NOTION_BOARD}/query`).length).toBeGreaterThan(0);
  });
});
