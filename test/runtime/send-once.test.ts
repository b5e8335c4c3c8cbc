import { env } from "cloudflare:workers";
import { getResponse, HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { TEST_BINDINGS as B } from "../bindings";
import { grantGmailReadonly } from "../integrations/google-scopes";
import { addWonDeal } from "../journey/deal-fixture";
import { closeDeal, ownerWithProcess, welcomeOnly } from "../journeys/fixtures";
import { dealStageEvent, postHubspot, useWorld, type World, watchJourney } from "../world";
import { failOnce } from "./fail-write";

const world = useWorld();
// The emulator's request log spans the file: each test counts its own Gmail calls.
beforeEach(() => world.google.requests.clear());
const STEP = "onboarding.welcome";
const SEND = "/gmail/v1/users/me/messages/send";
const LIST = "/gmail/v1/users/me/messages";

type Owner = Awaited<ReturnType<typeof ownerWithProcess>>;

/** An owner running the one-email process; with `readonly`, its Google connection may search Sent mail. */
async function owner(w: World, sub: string, portal: string, readonly = false): Promise<Owner> {
  const o = await ownerWithProcess(w, sub, portal, welcomeOnly);
  if (readonly) await grantGmailReadonly(o.workspaceId);
  return o;
}

/** Gmail requests of this test: sends (POST) or Sent-mail searches (GET). */
const calls = (w: World, path: typeof SEND | typeof LIST) =>
  w.google.requests.matching(path === SEND ? "POST" : "GET", path);

const decide = (o: Owner, journeyId: string, action: "retry" | "skip") =>
  o.browser.fetch(`/api/journeys/${journeyId}/steps/${STEP}/${action}`, {
    method: "POST",
    headers: { "x-csrf-token": o.csrf },
  });

describe("an email is sent once: the send and its bookkeeping are separate steps", () => {
  it("the timeline write after the send fails once: the write is retried, Gmail is called once", async () => {
    const o = await owner(world, "owner-send-record", "5510601");
    const journeyId = await onboardingJourneyId(o.workspaceId, "9601");
    const restore = failOnce((args) => args[0] === journeyId && args[1] === STEP && args[2] === "succeeded");
    try {
      const { instance } = await closeDeal(world, o.portal, o.workspaceId, "9601", 96601);
      await using _ = instance;
      await instance.waitForStatus("complete");
    } finally {
      expect(restore()).toBe(1);
    }
    expect(calls(world, SEND)).toHaveLength(1);
    expect(world.google.sent.filter((m) => m.subject === "Welcome, Grace")).toHaveLength(1);
    const step = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(step).toMatchObject({ status: "succeeded" });
  });
});

describe("journeys that ran the send before the bookkeeping step existed", () => {
  it("a cached send output of the old shape (recorded inside its step) gets no record step on replay", async () => {
    const o = await owner(world, "owner-send-replay", "5510606");
    addWonDeal(world, "9606");
    const journeyId = await onboardingJourneyId(o.workspaceId, "9606");
    const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await using _ = instance;
    // What a Workflow instance cached for the send before this change: no `record` flag.
    await instance.modify(async (m) => {
      await m.mockStepResult({ name: STEP }, JSON.stringify({ ok: true, value: { messageId: "msg-before-deploy" } }));
    });
    await postHubspot(JSON.stringify([dealStageEvent(o.portal, "9606", "closedwon", 96606)]));
    await instance.waitForStatus("complete");
    expect(calls(world, SEND)).toHaveLength(0);
    // Its row was written by the old step itself; the new code writes none for it.
    expect((await listSteps(env.DB, journeyId)).find((s) => s.name === STEP)).toBeUndefined();
  });
});

describe("a send whose answer was lost is checked in Sent mail before it is repeated", () => {
  it("with gmail.readonly: a 503 after the mail went out → found by its Message-ID, not sent again", async () => {
    const o = await owner(world, "owner-send-503", "5510602", true);
    world.google.lostAnswers.push(503);
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9602", 96602);
    await using _ = instance;
    await instance.waitForStatus("complete");
    expect(calls(world, SEND)).toHaveLength(1);
    const search = calls(world, LIST);
    expect(search).toHaveLength(1);
    expect(search[0]?.search.get("q")).toMatch(/^rfc822msgid:<[0-9a-f]{32}@example\.com>$/);
    const sent = world.google.sent.filter((m) => m.to.includes(email));
    expect(sent).toHaveLength(1);
    const step = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(step?.status).toBe("succeeded");
    expect(step?.result).toMatchObject({ messageId: sent[0]?.id });
  });

  it("without a read scope: a reset after the send holds the step for the owner; Retry sends once", async () => {
    const o = await owner(world, "owner-send-reset", "5510603");
    world.google.lostAnswers.push("reset");
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9603", 96603);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });
    expect(calls(world, SEND)).toHaveLength(1);
    expect(calls(world, LIST)).toHaveLength(0);
    const held = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(held?.status).toBe("failed");
    expect(held?.lastError).toContain(
      "Gmail may already have sent 'Welcome, Grace' to Grace Hopper; check your Sent folder, then Skip if it was sent or Retry to send it",
    );

    // The owner reads it on the journey's page, with Retry and Skip.
    const view = (await (await o.browser.fetch(`/api/journeys/${journeyId}`)).json()) as {
      steps: Array<{ name: string; actions: string[]; error: { summary: string } | null }>;
    };
    expect(view.steps.find((s) => s.name === STEP)).toMatchObject({
      actions: ["retry", "skip"],
      error: {
        summary:
          "Gmail may already have sent 'Welcome, Grace' to Grace Hopper; check your Sent folder, then Skip if it was sent or Retry to send it.",
      },
    });

    expect((await decide(o, journeyId, "retry")).status).toBe(202);
    await instance.waitForStatus("complete");
    expect(calls(world, SEND)).toHaveLength(2);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(2);
  });

  it("without a read scope: Skip sends nothing more", async () => {
    const o = await owner(world, "owner-send-skip", "5510604");
    world.google.lostAnswers.push(502);
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9604", 96604);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });
    expect((await decide(o, journeyId, "skip")).status).toBe(202);
    await instance.waitForStatus("complete");
    expect(calls(world, SEND)).toHaveLength(1);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it("a 400 is a refusal: no Sent-mail check, the step fails as before", async () => {
    const o = await owner(world, "owner-send-400", "5510605", true);
    world.network.use(
      http.post(`${B.GOOGLE_API_BASE}${SEND}`, () =>
        HttpResponse.json(
          { error: { code: 400, message: "Invalid To header", status: "INVALID_ARGUMENT" } },
          { status: 400 },
        ),
      ),
    );
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9605", 96605);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });
    expect(calls(world, LIST)).toHaveLength(0);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(0);
    const held = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(held?.lastError).toContain("Invalid To header");
  });
});

/**
 * An attempt that died during the send: Workflows ended it (an isolate crash, the step's 5-minute timeout)
 * after Gmail had the message and before our catch ran, so the row still says `running` and the Workflow
 * runs attempt 2. Simulated without killing the test's isolate: Gmail sends, then answers 429 (a refusal, so
 * attempt 1 neither holds nor searches: it only asks for a retry), and the write that records attempt 1's
 * failure fails (recordFailure logs it and goes on). The Workflow's state is then the dead attempt's: the
 * mail out, the row `running` with attempts=1, attempt 2 scheduled.
 */
async function deadFirstAttempt(o: Owner, deal: string, eventId: number) {
  let answered = 0;
  world.network.use(
    http.post(`${B.GOOGLE_API_BASE}${SEND}`, async ({ request }) => {
      if (answered > 0) return undefined;
      const copy = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: await request.arrayBuffer(),
      });
      const sent = await getResponse(world.google.handlers(), copy);
      if (!sent?.ok) throw new Error(`the emulator refused the send (${sent?.status})`);
      answered += 1;
      return HttpResponse.json(
        { error: { code: 429, message: "Rate Limit Exceeded", status: "RESOURCE_EXHAUSTED" } },
        { status: 429 },
      );
    }),
  );
  const journeyId = await onboardingJourneyId(o.workspaceId, deal);
  const restore = failOnce((args) => args[0] === journeyId && args[1] === STEP && args[2] === "failed");
  const started = await closeDeal(world, o.portal, o.workspaceId, deal, eventId);
  return { ...started, restore };
}

describe("an attempt that died during the send (its row still `running`) is not followed by a blind resend", () => {
  it("without a read scope: attempt 2 holds the step for the owner before sending; Retry sends once", async () => {
    const o = await owner(world, "owner-send-dead", "5510607");
    const { instance, journeyId, email, restore } = await deadFirstAttempt(o, "9607", 96607);
    await using _ = instance;
    try {
      await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });
    } finally {
      expect(restore()).toBe(1);
    }
    expect(calls(world, SEND)).toHaveLength(1);
    expect(calls(world, LIST)).toHaveLength(0);
    const held = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(held).toMatchObject({ status: "failed", attempts: 2 });
    expect(held?.lastError).toContain(
      "Gmail may already have sent 'Welcome, Grace' to Grace Hopper; check your Sent folder, then Skip if it was sent or Retry to send it",
    );

    expect((await decide(o, journeyId, "retry")).status).toBe(202);
    await instance.waitForStatus("complete");
    expect(calls(world, SEND)).toHaveLength(2);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(2);
  });

  it("with gmail.readonly: attempt 2 finds the message in Sent mail and does not send it again", async () => {
    const o = await owner(world, "owner-send-dead-ro", "5510608", true);
    const { instance, journeyId, email, restore } = await deadFirstAttempt(o, "9608", 96608);
    await using _ = instance;
    try {
      await instance.waitForStatus("complete");
    } finally {
      expect(restore()).toBe(1);
    }
    expect(calls(world, SEND)).toHaveLength(1);
    expect(calls(world, LIST)).toHaveLength(1);
    expect(world.google.sent.filter((m) => m.to.includes(email))).toHaveLength(1);
    expect((await listSteps(env.DB, journeyId)).find((s) => s.name === STEP)?.status).toBe("succeeded");
  });
});
