import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps, markStepFinished } from "../../src/store/journey-steps";
import { insertJourney } from "../../src/store/journeys";
import { addWonDeal } from "../journey/deal-fixture";
import { closeDeal, ownerWithProcess, welcomeOnly } from "../journeys/fixtures";
import { dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";
import { failOnce } from "./fail-write";

/*
 * An action and its bookkeeping in one durable step (src/runtime/run-step.ts `attempt`): the step writes its
 * timeline row and journal itself; `<step>.record` runs only when that write failed; a re-run after an attempt
 * that recorded its output returns that output and calls nothing.
 */

const world = useWorld();
beforeEach(() => world.google.requests.clear());
const STEP = "onboarding.welcome";
const sends = () => world.google.requests.matching("POST", "/gmail/v1/users/me/messages/send");

describe("an action's step records its own output", () => {
  it("the row is written by the step itself: no record step runs", async () => {
    const o = await ownerWithProcess(world, "owner-record-inside", "5530601", welcomeOnly);
    const addressed = addWonDeal(world, "9701");
    const journeyId = await onboardingJourneyId(o.workspaceId, "9701");
    const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await using _ = instance;
    // A record step that ran would fail the journey: it must not run.
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: `${STEP}.record` }, new Error("the record step ran"), 10);
    });
    await postHubspot(JSON.stringify([dealStageEvent(o.portal, "9701", "closedwon", 97701)]));
    await instance.waitForStatus("complete");
    const sent = world.google.sent.filter((m) => m.to.includes(addressed));
    expect(sent).toHaveLength(1);
    const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, result: { messageId: sent[0]?.id } });
  });

  it("the step's own write fails: the step keeps the output, its record step writes the row, Gmail is called once", async () => {
    const o = await ownerWithProcess(world, "owner-record-fallback", "5530602", welcomeOnly);
    const journeyId = await onboardingJourneyId(o.workspaceId, "9702");
    const restore = failOnce((args) => args[0] === journeyId && args[1] === STEP && args[2] === "succeeded");
    try {
      const { instance } = await closeDeal(world, o.portal, o.workspaceId, "9702", 97702);
      await using _ = instance;
      await instance.waitForStepResult({ name: `${STEP}.record` });
      await instance.waitForStatus("complete");
    } finally {
      expect(restore()).toBe(1);
    }
    expect(sends()).toHaveLength(1);
    const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(row).toMatchObject({ status: "succeeded", result: { messageId: expect.any(String) } });
  });

  it("an attempt that recorded its output and died before the engine kept it: the re-run returns it, sends nothing", async () => {
    const o = await ownerWithProcess(world, "owner-record-lost", "5530603", welcomeOnly);
    addWonDeal(world, "9703");
    const journeyId = await onboardingJourneyId(o.workspaceId, "9703");
    // What attempt 1 left: the journey's row and its step's row, succeeded with the message it sent.
    await insertJourney(env.DB, { id: journeyId, workspaceId: o.workspaceId, dealId: "9703", workflow: "process" });
    await markStepFinished(env.DB, journeyId, STEP, { status: "succeeded", result: { messageId: "msg-recorded" } });
    const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await using _ = instance;
    // Attempt 1 ends without its output reaching the engine; attempt 2 runs the step.
    await instance.modify(async (m) => {
      await m.disableRetryDelays([{ name: STEP }]);
      await m.mockStepError({ name: STEP }, new Error("the engine lost attempt 1's output"), 1);
    });
    await postHubspot(JSON.stringify([dealStageEvent(o.portal, "9703", "closedwon", 97703)]));
    await instance.waitForStatus("complete");
    expect(JSON.parse(String(await instance.waitForStepResult({ name: STEP })))).toEqual({
      ok: true,
      value: { messageId: "msg-recorded" },
      at: expect.any(String),
    });
    expect(sends()).toHaveLength(0);
    const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(row).toMatchObject({ status: "succeeded", result: { messageId: "msg-recorded" } });
  });
});

describe("a process step whose action recorded its row", () => {
  it("ends without settling the row again (no D1 write for it), and the row stays as the action wrote it", async () => {
    const o = await ownerWithProcess(world, "owner-record-settle", "5530604", welcomeOnly);
    const journeyId = await onboardingJourneyId(o.workspaceId, "9704");
    const proto = Object.getPrototypeOf(env.DB) as D1Database;
    const prepare = proto.prepare;
    const settles: unknown[][] = [];
    proto.prepare = function (this: D1Database, sql: string) {
      const statement = prepare.call(this, sql);
      if (!sql.includes("status IN ('waiting', 'running')")) return statement;
      const bind = statement.bind;
      statement.bind = (...args: unknown[]) => {
        settles.push(args);
        return bind.apply(statement, args);
      };
      return statement;
    };
    try {
      const { instance } = await closeDeal(world, o.portal, o.workspaceId, "9704", 97704);
      await using _ = instance;
      await instance.waitForStatus("complete");
    } finally {
      proto.prepare = prepare;
    }
    expect(settles.filter((args) => args[0] === journeyId)).toEqual([]);
    const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, result: { messageId: expect.any(String) } });
  });
});
