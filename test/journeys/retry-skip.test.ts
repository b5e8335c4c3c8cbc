import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { sideEffects } from "../journey/deal-fixture";
import { useWorld } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();
const STEP = "onboarding.invoice";

describe("a step that fails for good holds the journey for the owner", () => {
  it("400 → journey failed with the error in plain words; retry (Stripe now OK) creates the invoice once under a new attempt of the same key", async () => {
    const owner = await ownerWithProcess(world, "owner-retry", "4410601");
    const keys: string[] = [];
    world.network.use(
      http.post(
        `${B.STRIPE_API_BASE}/v1/invoices`,
        ({ request }) => {
          keys.push(request.headers.get("idempotency-key") ?? "");
          return HttpResponse.json(
            { error: { type: "invalid_request_error", message: "Invalid currency: usd for this account" } },
            { status: 400 },
          );
        },
        { once: true },
      ),
    );
    const { email, journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8601", 96001);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });

    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const failed = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(failed).toMatchObject({ status: "failed", waitingFor: "operator" });
    expect(failed?.lastError).toContain("stripe answered 400: Invalid currency");
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);

    const page = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    expect(page).toContain("Stripe rejected the data we sent");
    expect(page).toContain("<summary>Technical details</summary>");
    expect(page).toContain(`action="/journeys/${journeyId}/steps/${STEP}/retry"`);
    expect(page).toContain(`action="/journeys/${journeyId}/steps/${STEP}/skip"`);
    // With JavaScript the Retry button goes through the API route below (the API forms' script).
    expect(page).toContain(`data-api="POST /api/journeys/${journeyId}/steps/${STEP}/retry"`);
    expect(page).toContain(`data-api="POST /api/journeys/${journeyId}/steps/${STEP}/skip"`);

    const retried = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/${STEP}/retry`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ journeyId, step: STEP, action: "retry", outcome: "signalled" });
    await instance.waitForStatus("complete");

    const effects = sideEffects(world, journeyId, email);
    expect(effects.invoices).toHaveLength(1);
    expect(effects.emails.map((m) => m.subject)).toEqual(["Welcome, Grace"]);
    const created = world.stripe.requests.matching("POST", "/v1/invoices");
    const lastKey = created.at(-1)?.headers["idempotency-key"];
    expect(keys).toEqual([`${journeyId}:${STEP}:invoice:r0a1`]);
    // The owner's retry is round 1: a new key, so a failure Stripe saved under the first one is not replayed.
    expect(lastKey).toBe(`${journeyId}:${STEP}:invoice:r1a1`);
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === STEP)).toMatchObject({ status: "succeeded", lastError: null });
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("500s until retries run out → failed; skip → the step is skipped by the owner and the journey goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-skip", "4410602");
    let attempts = 0;
    world.network.use(
      http.post(`${B.STRIPE_API_BASE}/v1/invoices`, () => {
        attempts += 1;
        return HttpResponse.json({ error: { type: "api_error", message: "Something went wrong" } }, { status: 500 });
      }),
    );
    const { email, journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8602", 96002);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });
    expect(attempts).toBeGreaterThan(1);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const view = (await (await owner.browser.fetch(`/api/journeys/${journeyId}`)).json()) as {
      steps: Array<{ name: string; actions: string[]; error: { summary: string } | null }>;
      lastError: { summary: string } | null;
    };
    expect(view.steps.find((s) => s.name === STEP)?.actions).toEqual(["retry", "skip"]);
    expect(view.lastError?.summary).toMatch(/^Stripe had a problem on its side \(error 500\)/);
    const page = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    expect(page).toContain(`data-api="POST /api/journeys/${journeyId}/steps/${STEP}/skip"`);

    const skipped = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/${STEP}/skip`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(skipped.status).toBe(202);
    // The welcome email carries {{invoice.url}}: its invoice skipped, it holds (never sent with a blank link).
    await instance.waitForStepResult({ name: "journey.hold#onboarding.welcome.merge-fields#0" });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);
    const welcome = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/onboarding.welcome/skip`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(welcome.status).toBe(202);
    await instance.waitForStatus("complete");

    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === STEP)).toMatchObject({ status: "succeeded", result: { skipped: "by owner" } });
    const effects = sideEffects(world, journeyId, email);
    expect(effects.invoices).toHaveLength(0);
    expect(effects.emails).toHaveLength(0);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });
});
