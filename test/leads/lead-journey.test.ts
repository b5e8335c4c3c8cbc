import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { messageIdFor } from "../../integrations/google/actions/send-email";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { resumePausedJourneys } from "../../src/runtime/resume";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { findOwner } from "../../src/store/owners";
import { connect, location, signIn } from "../browser";
import {
  connectWorkspace,
  count,
  dealStageEvent,
  GOOGLE_REFRESH,
  intakeTally,
  postHubspot,
  SENDER_EMAIL,
  useWorld,
  type World,
} from "../world";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "./lead-helpers";

const world = useWorld();

/** The step a lead's journey pauses at when Google must be reconnected before the auto-reply. */
const PAUSED_ON_REPLY = { name: "journey.pause#lead.auto-reply#0" };

/**
 * A signed-in owner whose Google grant was revoked, and a lead submitted to
 * their form: its journey runs until the auto-reply needs Google, then pauses.
 */
async function leadPausedOnGoogle(w: World, sub: string, portal: string, email: string) {
  const owner = await signIn(w, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  await connectWorkspace(env, workspaceId, portal);
  const token = await formToken(workspaceId);
  const leadId = await leadIdOf(workspaceId, token);
  const instance = await watchLead(leadId);
  w.google.refreshTokens.delete(GOOGLE_REFRESH); // the owner removed Clientflow from their Google account
  const submitted = await postLead(workspaceId, { ...leadFields({ email }), _token: token });
  expect(submitted.status).toBe(200);
  await instance.waitForStepResult(PAUSED_ON_REPLY);
  expect(await findJourney(env.DB, leadId)).toMatchObject({ phase: "lead", status: "paused", pausedFor: "google" });
  return { ...owner, workspaceId, leadId, instance };
}

const sentTo = (w: World, email: string) => w.google.sent.filter((m) => m.to.includes(email));

/** The owner reconnects Google through the real OAuth flow (which wakes journeys paused on it). */
async function reconnectGoogle(w: World, browser: Parameters<typeof connect>[0]) {
  const consent = (url: string) => w.google.consent(url, { sub: "studio-google", email: SENDER_EMAIL });
  expect(location(await connect(browser, consent, "google"))).toBe("/connections?connected=google");
}

describe("a lead's journey can be paused, resumed and cancelled like any journey", () => {
  it("a lead paused for a Google reconnect resumes at its step after the owner reconnects", async () => {
    const email = "reconnect@lead.test";
    const { browser, leadId, instance } = await leadPausedOnGoogle(world, "owner-lead-reconnect", "4410801", email);
    await using _instance = instance;
    try {
      const steps = Object.fromEntries((await listSteps(env.DB, leadId)).map((s) => [s.name, s]));
      expect(steps["lead.auto-reply"]).toMatchObject({ status: "failed", attempts: 1 });
      expect(steps["lead.auto-reply"]?.lastError).toContain("Reconnect google");
      expect(steps["lead.create-deal"]?.status).toBe("succeeded");
      expect(sentTo(world, email)).toHaveLength(0);

      await reconnectGoogle(world, browser);
      await instance.waitForStepResult({ name: "lead.auto-reply#reconnect-1" });
      await instance.waitForStepResult(LEAD_ANSWERED);
      const sent = sentTo(world, email);
      expect(sent.map((m) => m.messageId)).toEqual([
        `<${await messageIdFor(`${leadId}:lead.auto-reply`, SENDER_EMAIL)}>`,
      ]);
      expect(sent[0]?.messageId).not.toContain(leadId);
      const after = Object.fromEntries((await listSteps(env.DB, leadId)).map((s) => [s.name, s]));
      expect(after["lead.auto-reply"]).toMatchObject({ status: "succeeded", lastError: null });
      expect(await findJourney(env.DB, leadId)).toMatchObject({ phase: "lead", status: "waiting", pausedFor: null });
      expect((await findLead(env.DB, leadId))?.status).toBe("replied");
    } finally {
      world.google.refreshTokens.add(GOOGLE_REFRESH);
    }
  });

  it("a deal won before the lead reached its wait is kept: once answered, the same journey onboards the client", async () => {
    const email = "early-win@lead.test";
    const { browser, workspaceId, leadId, instance } = await leadPausedOnGoogle(
      world,
      "owner-lead-early-win",
      "4410802",
      email,
    );
    await using _instance = instance;
    try {
      const dealId = (await findJourney(env.DB, leadId))?.dealId ?? "";
      const deal = world.hubspot.deals.get(dealId);
      if (!deal) throw new Error("the lead's deal expected");
      Object.assign(deal.properties, { amount: "800", dealstage: "closedwon", closedate: "2026-11-24T00:00:00Z" });
      // Won while the lead waits for Google: the event waits for the journey (buffered), no journey starts.
      const won = await postHubspot(JSON.stringify([dealStageEvent("4410802", dealId, "closedwon", 99801)]));
      expect(await intakeTally(won)).toMatchObject({ received: 1, started: 0 });
      expect(await count(env, "journeys", "workspace_id = ?", workspaceId)).toBe(1);

      await reconnectGoogle(world, browser);
      await instance.waitForStepResult({ name: "onboarding.kickoff" });
      expect(sentTo(world, email).map((m) => m.subject)).toEqual([
        "Thanks for getting in touch with Bright Studio",
        "Welcome, Grace: your next steps",
      ]);
      expect(await findJourney(env.DB, leadId)).toMatchObject({ dealId, phase: "onboarding" });
      expect(await count(env, "journeys", "workspace_id = ?", workspaceId)).toBe(1);
    } finally {
      world.google.refreshTokens.add(GOOGLE_REFRESH);
    }
  });

  it("a cancelled lead stops: its instance is terminated and no auto-reply is sent; its won deal starts its own journey", async () => {
    const email = "cancel@lead.test";
    const { browser, csrf, workspaceId, leadId, instance } = await leadPausedOnGoogle(
      world,
      "owner-lead-cancel",
      "4410803",
      email,
    );
    await using _instance = instance;
    const dealId = (await findJourney(env.DB, leadId))?.dealId ?? "";
    try {
      const cancel = await browser.fetch(`/api/journeys/${leadId}/cancel`, {
        method: "POST",
        headers: { "x-csrf-token": csrf },
      });
      expect(cancel.status).toBe(200);
      expect(await cancel.json()).toMatchObject({ journeyId: leadId, status: "cancelled" });
      await instance.waitForStatus("terminated");

      // Google is back: nothing wakes the cancelled lead.
      world.google.refreshTokens.add(GOOGLE_REFRESH);
      expect(await resumePausedJourneys(env, workspaceId, "google")).toBe(0);
      expect(sentTo(world, email)).toHaveLength(0);
      expect(await findJourney(env.DB, leadId)).toMatchObject({ status: "cancelled", phase: "lead" });

      // The deal is won later anyway: the ended lead gives it up, and it gets a journey of its own.
      const won = await postHubspot(JSON.stringify([dealStageEvent("4410803", dealId, "closedwon", 99802)]));
      expect(await intakeTally(won)).toMatchObject({ received: 1, started: 1 });
      expect((await findJourney(env.DB, leadId))?.dealId).toBe(`lead:${leadId}`);
      const onboarding = await onboardingJourneyId(workspaceId, dealId);
      expect(await findJourney(env.DB, onboarding)).toMatchObject({ dealId });
      expect(sentTo(world, email).map((m) => m.subject)).not.toContain(
        "Thanks for getting in touch with Bright Studio",
      );
      // That journey is not this test's subject: stop it before the network goes away.
      const stop = await browser.fetch(`/api/journeys/${onboarding}/cancel`, {
        method: "POST",
        headers: { "x-csrf-token": csrf },
      });
      expect(stop.status).toBe(200);
    } finally {
      world.google.refreshTokens.add(GOOGLE_REFRESH);
    }
  });

  it("the owner pauses and resumes a lead waiting for its deal, then skips the wait: the journey onboards the deal", async () => {
    const owner = await signIn(world, { sub: "owner-lead-skip", email: "owner-lead-skip@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-lead-skip"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410804");
    const token = await formToken(workspaceId);
    const leadId = await leadIdOf(workspaceId, token);
    await using instance = await watchLead(leadId);
    const email = "skip@lead.test";
    expect((await postLead(workspaceId, { ...leadFields({ email }), _token: token })).status).toBe(200);
    await instance.waitForStepResult(LEAD_ANSWERED);
    const post = (path: string) =>
      owner.browser.fetch(`/api/journeys/${leadId}${path}`, {
        method: "POST",
        headers: { "x-csrf-token": owner.csrf },
      });

    const view = (await (await owner.browser.fetch(`/api/journeys/${leadId}`)).json()) as {
      journey: { status: string; actions: string[]; next: { step: string; label: string } };
    };
    expect(view.journey).toMatchObject({ status: "waiting", actions: ["pause", "cancel"] });
    expect(view.journey.next).toMatchObject({ step: "process.deal-won", label: "waiting for the deal to be won" });
    expect(await (await post("/pause")).json()).toMatchObject({ status: "paused" });
    expect(await (await post("/resume")).json()).toMatchObject({ status: "waiting" });

    // The rep priced the deal but has not marked it won: the owner goes ahead anyway.
    const dealId = (await findJourney(env.DB, leadId))?.dealId ?? "";
    const deal = world.hubspot.deals.get(dealId);
    if (!deal) throw new Error("the lead's deal expected");
    Object.assign(deal.properties, { amount: "600" });
    expect((await post("/steps/process.deal-won/skip")).status).toBe(202);
    await instance.waitForStepResult({ name: "onboarding.kickoff" });
    const won = (await listSteps(env.DB, leadId)).find((s) => s.name === "process.deal-won");
    expect(won).toMatchObject({ status: "succeeded", result: { dealId, by: "owner" } });
    expect(sentTo(world, email).map((m) => m.subject)).toContain("Welcome, Grace: your next steps");
    expect(await findJourney(env.DB, leadId)).toMatchObject({ dealId, phase: "onboarding" });
  });
});
