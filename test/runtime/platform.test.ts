import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { changeJourney } from "../../src/dashboard/journeys/journey-actions";
import { saveTemplate } from "../../src/engine/templates";
import { describeError } from "../../src/log";
import {
  createOnce,
  instanceExists,
  isDuplicateInstance,
  isEngineAbort,
  isInstanceNotFound,
  RetryAfterError,
  retryAfterMs,
  withoutRetryAfter,
} from "../../src/runtime/platform";
import { skipDelay } from "../../src/runtime/protocol";
import { signalJourney } from "../../src/runtime/signal";
import { findStep, listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import type { TaskParams } from "../../src/tasks/task-params";
import { taskInstanceId } from "../../src/tasks/task-workflow";
import { closeDeal } from "../journeys/fixtures";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

/** Task params that do nothing: an instance to create, find and create again. */
const noTasks = (workspaceId: string): TaskParams => ({ workspaceId, journeyId: null, fromName: "", tasks: [] });

/** What `fn` threw (the test fails if it did not throw). */
async function thrownBy(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("platform facts on the errors miniflare's Workflows binding really throws", () => {
  it("a second create with the same id is a duplicate instance", async () => {
    const id = await taskInstanceId("ws-platform", "dup-1");
    await env.TASKS.create({ id, params: noTasks("ws-platform") });
    const error = await thrownBy(() => env.TASKS.create({ id, params: noTasks("ws-platform") }));
    expect(isDuplicateInstance(error)).toBe(true);
    expect(isInstanceNotFound(error)).toBe(false);
    expect(isEngineAbort(error)).toBe(false);
    expect(await createOnce(env.TASKS, { id, params: noTasks("ws-platform") })).toBe("duplicate");
    expect(await createOnce(env.TASKS, { id: `${id}-2`, params: noTasks("ws-platform") })).toBe("created");
  });

  it("get of an unknown id is not found; instanceExists says so without guessing", async () => {
    const error = await thrownBy(() => env.TASKS.get("task-never-created"));
    expect(isInstanceNotFound(error)).toBe(true);
    expect(isDuplicateInstance(error)).toBe(false);
    expect(await instanceExists(env.TASKS, "task-never-created")).toBe(false);
    const id = await taskInstanceId("ws-platform", "exists-1");
    await env.TASKS.create({ id, params: noTasks("ws-platform") });
    expect(await instanceExists(env.TASKS, id)).toBe(true);
  });

  it("an engine abort (a pause while the journey waits) stops the run; it is neither a timeout nor a failure", async () => {
    const ws = "ws-platform-abort";
    const wait = { type: "delay", wait: { amount: 1, unit: "days" }, from: "start" };
    const later = { id: "later", name: "Later", action: "gmail.send-email", trigger: wait };
    await connectWorkspace(env, ws, "4410911");
    await saveTemplate(
      env.DB,
      ws,
      {
        name: "Wait",
        phases: [
          { id: "onboarding", name: "Onboarding", steps: [{ ...later, inputs: { subject: "Later", body: "Hi" } }] },
        ],
      },
      "owner",
    );
    const { journeyId, instance } = await closeDeal(world, "4410911", ws, "8911", 99111);
    await using _ = instance;
    await vi.waitFor(async () =>
      expect((await findStep(env.DB, journeyId, "onboarding.later"))?.status).toBe("waiting"),
    );

    await changeJourney(env, ws, journeyId, "pause");
    await instance.waitForStatus("paused");
    // The abort reached the race of waits and was thrown on, not recorded as the delay running out.
    const names = (await listSteps(env.DB, journeyId)).map((s) => s.name);
    expect(names).not.toContain("journey.mark-failed");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("paused");

    await changeJourney(env, ws, journeyId, "resume");
    await signalJourney(env, journeyId, skipDelay("onboarding.later"), { by: "owner" });
    await instance.waitForStatus("complete");
    expect(JSON.parse(String(await instance.waitForStepResult({ name: "onboarding.later.delay-outcome" })))).toEqual({
      key: "skipped",
      payload: { by: "owner" },
    });
  });

  it("recognizes the abort as the engine words it (the shape seen under miniflare), and nothing else", () => {
    expect(isEngineAbort(new Error("Aborting engine: User called pause"))).toBe(true);
    expect(isEngineAbort(new Error("Aborting engine: User called terminate"))).toBe(true);
    expect(isEngineAbort(new Error("WorkflowTimeoutError: Execution timed out after 1000ms"))).toBe(false);
    expect(isEngineAbort(new Error("stripe answered 500: Aborting engine: a provider's words"))).toBe(false);
  });
});

describe("Retry-After", () => {
  it("is data on the error, and survives the step boundary, where Workflows keeps only `<name>: <message>`", () => {
    const cause = new Error("google answered 429: Rate limit exceeded");
    const passedOn = new RetryAfterError(30_000, describeError(cause), { cause });
    expect(retryAfterMs(passedOn)).toBe(30_000);
    const flattened = new Error(`${passedOn.name}: ${passedOn.message}`);
    expect(retryAfterMs(flattened)).toBe(30_000);
    expect(retryAfterMs(new Error("google answered 500: oops"))).toBeUndefined();
    // The owner reads the provider's words without the encoding.
    expect(withoutRetryAfter(flattened.message)).toBe(
      "RetryAfterError: Error: google answered 429: Rate limit exceeded",
    );
  });
});
