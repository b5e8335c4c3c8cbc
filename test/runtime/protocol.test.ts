import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { actOnStep } from "../../src/dashboard/journeys/journey-actions";
import { saveTemplate } from "../../src/engine/templates";
import {
  approval,
  contractSigned,
  defineSignal,
  operatorDecision,
  repurchased,
  SignalPayloadError,
  sendSignal,
  skipDelay,
  surveyAnswered,
} from "../../src/runtime/protocol";
import { signalJourney } from "../../src/runtime/signal";
import { findStep } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { sideEffects } from "../journey/deal-fixture";
import { closeDeal } from "../journeys/fixtures";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

const email = (id: string, subject: string, trigger: object) => ({
  id,
  name: subject,
  action: "gmail.send-email",
  trigger,
  inputs: { subject, body: "Hello {{client.firstName}}" },
});
const aDayAfter = (from: string) => ({ type: "delay", wait: { amount: 1, unit: "days" }, from });

/** Three emails, a day apart: delays to skip or end. */
const delays = {
  name: "Delays",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        email("first", "First", aDayAfter("start")),
        email("second", "Second", aDayAfter("previous")),
        email("third", "Third", aDayAfter("previous")),
      ],
    },
  ],
};

/** One step that waits for the survey answer. */
const survey = {
  name: "Survey",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [email("answered", "Thanks", { type: "event", event: "survey.answered" })],
    },
  ],
};

async function workspaceWith(workspaceId: string, portal: string, template: object) {
  await connectWorkspace(env, workspaceId, portal);
  await saveTemplate(env.DB, workspaceId, template, "owner");
}

/** Resolves once the step's row waits (the journey reached it). */
const untilWaiting = (journeyId: string, step: string) =>
  vi.waitFor(async () => expect((await findStep(env.DB, journeyId, step))?.status).toBe("waiting"), {
    timeout: 10_000,
  });

/** A Workflow instance stand-in that records what it was sent. */
function recordingInstance() {
  const sent: Array<{ type: string; payload: unknown }> = [];
  return { sent, instance: { sendEvent: async (event: { type: string; payload: unknown }) => void sent.push(event) } };
}

describe("the journey protocol", () => {
  it("sends a payload that fits, stripped to the schema, under the signal's event type", async () => {
    const { sent, instance } = recordingInstance();
    const payload = { contractId: "ctr_1", acceptedAt: "2026-11-20T10:00:00.000Z", comment: "not for the journey" };
    await sendSignal(instance, contractSigned, payload);
    expect(sent).toEqual([
      { type: "contract-signed", payload: { contractId: "ctr_1", acceptedAt: "2026-11-20T10:00:00.000Z" } },
    ]);
  });

  it("refuses a bad payload on send: nothing reaches the instance", async () => {
    const { sent, instance } = recordingInstance();
    const bad = { surveyId: "sv_1", score: 11 };
    await expect(sendSignal(instance, surveyAnswered, bad)).rejects.toBeInstanceOf(SignalPayloadError);
    await expect(sendSignal(instance, surveyAnswered, bad)).rejects.toThrow(/survey-answered.*refused on send.*score/);
    // A payload of the wrong shape altogether (as an untyped caller could pass it).
    await expect(sendSignal(instance, contractSigned, { contractId: 7 } as never)).rejects.toThrow(SignalPayloadError);
    expect(sent).toEqual([]);
  });

  it("puts the step in the type of a per-step signal, in the characters Workflow event types allow", () => {
    const step = "follow_up.check-in-3m";
    expect(approval(step).type).toBe("approval-follow_up-check-in-3m");
    expect(operatorDecision(step).type).toBe("operator-follow_up-check-in-3m");
    expect(skipDelay(step).type).toBe("skip-delay-follow_up-check-in-3m");
    expect(repurchased(step).type).toBe("client-repurchased-follow_up-check-in-3m");
    expect(() => defineSignal("stripe.invoice.paid", { schema: contractSigned.schema })).toThrow(/event type/);
  });
});

describe("a delay", () => {
  it("ends early as skipped by the owner or as a repurchase, told apart, and a stale skip ends nothing else", async () => {
    const ws = "ws-protocol-delays";
    await workspaceWith(ws, "4410901", delays);
    const { email: client, journeyId, instance } = await closeDeal(world, "4410901", ws, "8901", 99011);
    await using _ = instance;

    await untilWaiting(journeyId, "onboarding.first");
    // The owner skips the first step while it waits for its delay (dashboard): it is skipped, the journey goes on.
    await actOnStep(env, ws, journeyId, "onboarding.first", "skip", "owner@studio.test");
    expect(JSON.parse(String(await instance.waitForStepResult({ name: "onboarding.first.delay-outcome" })))).toEqual({
      key: "skipped",
      payload: { by: "owner@studio.test" },
    });

    await untilWaiting(journeyId, "onboarding.second");
    expect(await findStep(env.DB, journeyId, "onboarding.first")).toMatchObject({
      status: "succeeded",
      result: { skipped: "by owner" },
    });
    // A second click on the first step's skip arrives late: its type is the first step's, nobody waits for it.
    expect((await signalJourney(env, journeyId, skipDelay("onboarding.first"), { by: "owner" })).outcome).toBe(
      "signalled",
    );
    // The client buys again: every delay step gets its own repurchase signal.
    const signals = ["onboarding.second", "onboarding.third"].map(repurchased);
    expect((await signalJourney(env, journeyId, signals, { dealId: "9901" })).outcome).toBe("signalled");

    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toEqual({ status: "repurchased", phase: "onboarding", step: "second" });
    expect(JSON.parse(String(await instance.waitForStepResult({ name: "onboarding.second.delay-outcome" })))).toEqual({
      key: "repurchased",
      payload: { dealId: "9901" },
    });
    expect(sideEffects(world, journeyId, client).emails).toEqual([]);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("refuses a bad payload on receipt: the journey fails with the refusal, it does not guess", async () => {
    const ws = "ws-protocol-bad-skip";
    await workspaceWith(ws, "4410902", delays);
    const { journeyId, instance } = await closeDeal(world, "4410902", ws, "8902", 99021);
    await using _ = instance;
    await untilWaiting(journeyId, "onboarding.first");
    // Sent around the protocol (as an API call straight to the instance could).
    const raw = await env.JOURNEYS.get(journeyId);
    await raw.sendEvent({ type: skipDelay("onboarding.first").type, payload: { by: 42 } });

    await instance.waitForStatus("errored");
    expect(String((await instance.getError())?.message)).toMatch(
      /skip-delay-onboarding-first: payload refused on receive/,
    );
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
  });
});

describe("an event wait", () => {
  it("refuses a bad payload on receipt, and takes a good one", async () => {
    const ws = "ws-protocol-survey";
    await workspaceWith(ws, "4410903", survey);
    const bad = await closeDeal(world, "4410903", ws, "8903", 99031);
    await using _bad = bad.instance;
    await untilWaiting(bad.journeyId, "onboarding.answered");
    await (await env.JOURNEYS.get(bad.journeyId)).sendEvent({
      type: surveyAnswered.type,
      payload: { surveyId: "sv_1", score: 99 },
    });
    await bad.instance.waitForStatus("errored");
    expect(String((await bad.instance.getError())?.message)).toMatch(/survey-answered: payload refused on receive/);

    const good = await closeDeal(world, "4410903", ws, "8904", 99041);
    await using _good = good.instance;
    await untilWaiting(good.journeyId, "onboarding.answered");
    await signalJourney(env, good.journeyId, surveyAnswered, { surveyId: "sv_2", score: 9 });
    await good.instance.waitForStatus("complete");
    expect(sideEffects(world, good.journeyId, good.email).emails.map((m) => m.subject)).toEqual(["Thanks"]);
  });
});
