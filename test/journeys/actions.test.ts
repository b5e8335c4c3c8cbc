import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { Browser, signIn } from "../browser";
import { sideEffects } from "../journey/deal-fixture";
import { useWorld } from "../world";
import { closeDeal, invoiceThenWelcome, ownerWithProcess } from "./fixtures";

const world = useWorld();
const WELCOME = "onboarding.welcome";

describe("journey actions through the API", () => {
  it("pause, resume, then skip a step waiting for approval; refuses actions invalid in the state", async () => {
    const owner = await ownerWithProcess(world, "owner-actions", "4410611", invoiceThenWelcome(true));
    const { email, journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8611", 96011);
    await using _ = instance;
    await instance.waitForStepResult({ name: `${WELCOME}.await-approval` });
    const post = (path: string, csrf: string | null = owner.csrf, browser = owner.browser) =>
      browser.fetch(`/api/journeys/${journeyId}${path}`, {
        method: "POST",
        headers: csrf ? { "x-csrf-token": csrf } : {},
      });

    const view = (await (await owner.browser.fetch(`/api/journeys/${journeyId}`)).json()) as {
      journey: { status: string; actions: string[]; next: { step: string; label: string } };
      steps: Array<{ name: string; actions: string[]; links: Array<{ label: string; href: string }> }>;
    };
    expect(view.journey).toMatchObject({ status: "waiting", actions: ["pause", "cancel"] });
    expect(view.journey.next).toMatchObject({ step: WELCOME, label: "waiting for your approval" });
    expect(view.steps.find((s) => s.name === WELCOME)?.actions).toEqual(["approve", "skip"]);
    const invoiceLinks = view.steps.find((s) => s.name === "onboarding.invoice")?.links ?? [];
    expect(invoiceLinks.map((l) => l.label)).toEqual(["Stripe invoice"]);

    // Without a session, without CSRF, from another workspace.
    expect((await post("/pause", null, new Browser())).status).toBe(401);
    expect((await post("/pause", null)).status).toBe(403);
    const stranger = await signIn(world, { sub: "owner-stranger-2", email: "stranger2@studio.test" });
    expect((await post("/pause", stranger.csrf, stranger.browser)).status).toBe(404);
    expect((await post(`/steps/${WELCOME}/approve`, stranger.csrf, stranger.browser)).status).toBe(404);
    expect((await post("/steps/onboarding.nothing-here/skip")).status).toBe(404);

    const retry = await post(`/steps/${WELCOME}/retry`);
    expect(retry.status).toBe(409);
    expect(await retry.json()).toMatchObject({ error: "invalid_state" });
    expect((await post("/resume")).status).toBe(409);

    const paused = await post("/pause");
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ journeyId, action: "pause", status: "paused" });
    expect(await findJourney(env.DB, journeyId)).toMatchObject({ status: "paused", pausedFor: "owner" });
    const whilePaused = await post(`/steps/${WELCOME}/approve`);
    expect(whilePaused.status).toBe(409);
    expect(((await whilePaused.json()) as { message: string }).message).toMatch(/paused: resume it first/);
    expect((await post("/pause")).status).toBe(409);

    const resumed = await post("/resume");
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ status: "waiting" });

    const skipped = await post(`/steps/${WELCOME}/skip`);
    expect(skipped.status).toBe(202);
    await instance.waitForStatus("complete");
    const welcome = (await listSteps(env.DB, journeyId)).find((s) => s.name === WELCOME);
    expect(welcome).toMatchObject({ status: "succeeded", result: { skipped: "by owner" } });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
    expect((await post("/cancel")).status).toBe(409);
  });

  it("cancel stops a waiting journey for good", async () => {
    const owner = await ownerWithProcess(world, "owner-cancel", "4410612", invoiceThenWelcome(true));
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8612", 96012);
    await using _ = instance;
    await instance.waitForStepResult({ name: `${WELCOME}.await-approval` });
    const cancelled = await owner.browser.fetch(`/api/journeys/${journeyId}/cancel`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toEqual({ journeyId, action: "cancel", status: "cancelled" });
    await instance.waitForStatus("terminated");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("cancelled");
    const approve = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/${WELCOME}/approve`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(approve.status).toBe(409);
  });
});
