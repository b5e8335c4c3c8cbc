import type { WorkflowStep } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/env";
import { type JourneyRun, updateJourneyStep } from "../../src/runtime/run-step";
import { awaitingRow, finishedRow } from "../../src/runtime/step-rows";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney, insertJourney } from "../../src/store/journeys";

const WS = "ws-write-batch";

/** The env with a D1 that counts its round trips: each statement run alone, and each batch, is one. */
function countingRoundTrips(): AppEnv & { trips: () => number } {
  let trips = 0;
  const db = env.DB;
  const counted = new Proxy(db, {
    get: (target, prop) => {
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          trips += 1;
          return target.batch(statements);
        };
      }
      if (prop === "prepare") {
        return (sql: string) => {
          const statement = target.prepare(sql);
          return new Proxy(statement, {
            get: (s, key) => {
              if (key === "bind") {
                return (...values: unknown[]) => {
                  const bound = s.bind(...values);
                  return new Proxy(bound, {
                    get: (b, k) => {
                      const value = Reflect.get(b, k, b);
                      if (k === "run" || k === "first" || k === "all") {
                        return (...args: unknown[]) => {
                          trips += 1;
                          return (value as (...a: unknown[]) => unknown).apply(b, args);
                        };
                      }
                      return typeof value === "function" ? value.bind(b) : value;
                    },
                  });
                };
              }
              const value = Reflect.get(s, key, s);
              return typeof value === "function" ? value.bind(s) : value;
            },
          });
        };
      }
      return Reflect.get(target, prop, target);
    },
  });
  return { ...env, DB: counted, trips: () => trips };
}

/** A run whose durable steps just run their callbacks (the Workflow engine's part is not under test here). */
function runOf(runEnv: AppEnv, journeyId: string): JourneyRun {
  const step = { do: (_name: string, ...rest: unknown[]) => (rest.at(-1) as () => Promise<unknown>)() };
  return { env: runEnv, step: step as unknown as WorkflowStep, workspaceId: WS, journeyId };
}

describe("a journey's status change and its step row are one D1 round trip (updateJourneyStep)", () => {
  it("a wait writes the journey's status and opens the step row in one batch; its end finishes the event row", async () => {
    await upsertWorkspace(env.DB, { id: WS, name: WS, settings: {} });
    await insertJourney(env.DB, { id: "j-batch", workspaceId: WS, dealId: "d-batch" });
    const counting = countingRoundTrips();
    const run = runOf(counting, "j-batch");

    await updateJourneyStep(run, "onboarding.deposit-paid.await", { status: "waiting" }, () => [
      awaitingRow(run, "onboarding.deposit-paid", { waitingFor: "stripe.invoice.paid" }),
    ]);
    expect(counting.trips()).toBe(1);
    expect((await findJourney(env.DB, "j-batch"))?.status).toBe("waiting");
    expect((await listSteps(env.DB, "j-batch")).map((s) => [s.name, s.status, s.waitingFor])).toEqual([
      ["onboarding.deposit-paid", "waiting", "stripe.invoice.paid"],
    ]);

    await updateJourneyStep(run, "onboarding.deposit-paid.received", { status: "running" }, () => [
      finishedRow(run, "onboarding.deposit-paid.event", { status: "succeeded", result: { event: "invoice.paid" } }),
    ]);
    expect(counting.trips()).toBe(2);
    expect((await findJourney(env.DB, "j-batch"))?.status).toBe("running");
    const event = (await listSteps(env.DB, "j-batch")).find((s) => s.name === "onboarding.deposit-paid.event");
    expect(event).toMatchObject({ status: "succeeded", result: { event: "invoice.paid" } });

    // Without rows, the journey's update is one statement, as before.
    await updateJourneyStep(run, "phase.fulfillment", { phase: "fulfillment", status: "running" });
    expect(counting.trips()).toBe(3);
    expect((await findJourney(env.DB, "j-batch"))?.phase).toBe("fulfillment");
  });

  it("the two are applied together or not at all: a failing row leaves the journey's status unchanged", async () => {
    await insertJourney(env.DB, { id: "j-batch-fail", workspaceId: WS, dealId: "d-batch-fail" });
    const run = runOf(env, "j-batch-fail");
    const before = (await findJourney(env.DB, "j-batch-fail"))?.status;
    const broken = () => [env.DB.prepare("INSERT INTO journey_steps (journey_id) VALUES (?1)").bind("j-batch-fail")];
    await expect(updateJourneyStep(run, "onboarding.x.await", { status: "waiting" }, broken)).rejects.toThrow();
    expect((await findJourney(env.DB, "j-batch-fail"))?.status).toBe(before);
    expect(before).not.toBe("waiting");
  });
});
