import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { captureLogs, useWorld, watchJourney } from "../world";
import {
  type Case,
  dealWonDelivery,
  invoicePaidDelivery,
  openStudio,
  type Studio,
  wonDeal,
  writesOf,
} from "./journeys";
import { report, tally } from "./seeded";

const world = useWorld();
captureLogs();
const STUDIO: Studio = {
  workspaceId: "ws-rel-interrupt",
  portal: "4419301",
  notionWorkspace: "5e1f0c2a-0000-4000-8000-000000009301",
};

/** The steps after which a journey is interrupted, in the order the preset runs them. */
const AFTER = ["process.read-deal", "onboarding.invoice", "onboarding.project-card", "onboarding.welcome-email"];

/** Provider requests a finished step made: a replay that repeated the step would make them again. */
function requestsOf(c: Case, step: string): number {
  if (step === "process.read-deal")
    return world.hubspot.requests.matching("GET", `/crm/v3/objects/deals/${c.deal}`).length;
  if (step === "onboarding.invoice")
    return world.stripe.requests
      .matching("POST", "/v1/invoices")
      .filter((r) => JSON.stringify(r.body).includes(c.journeyId)).length;
  if (step === "onboarding.project-card")
    return world.notion.requests
      .matching("POST", "/v1/pages")
      .filter((r) => JSON.stringify(r.body).includes(c.journeyId)).length;
  return writesOf(world, c).emails;
}

/** Waits until the instance reports `status` (the engine stops and starts asynchronously). */
async function untilStatus(handle: WorkflowInstance, status: string) {
  for (let i = 0; i < 500 && (await handle.status()).status !== status; i++) await scheduler.wait(10);
  expect((await handle.status()).status).toBe(status);
}

describe("a Workflow interrupted between steps resumes without repeating a finished step", () => {
  it(`interrupted after each of ${AFTER.length} steps: finished steps are not run again; each write once`, {
    timeout: 90_000,
  }, async ({ task }) => {
    await openStudio(STUDIO);
    const cases = await Promise.all(AFTER.map((_, i) => wonDeal(world, STUDIO, String(8931 + i))));
    const instances = await Promise.all(cases.map((c) => watchJourney(c.journeyId)));
    try {
      await Promise.all(
        cases.map(async (c, i) => {
          const instance = instances[i] as (typeof instances)[number];
          await dealWonDelivery(c, 98931 + i).send();
          await instance.waitForStepResult({ name: AFTER[i] as string });
          // The engine stops here (as an eviction or a deploy stops it) and later replays run() from the start.
          const handle = await env.JOURNEYS.get(c.journeyId);
          await handle.pause();
          await untilStatus(handle, "paused");
          await handle.resume();
          await instance.waitForStepResult({ name: "onboarding.payment.await" });
          await invoicePaidDelivery(world, c).send();
          await instance.waitForStatus("complete");
        }),
      );

      const outcomes: string[] = [];
      let lost = 0;
      let doubled = 0;
      const seen = [];
      for (const [i, c] of cases.entries()) {
        const finished = AFTER.slice(0, i + 1);
        const steps = await listSteps(env.DB, c.journeyId);
        const repeated = finished.filter(
          (name) => requestsOf(c, name) !== 1 || steps.find((s) => s.name === name)?.attempts !== 1,
        );
        const w = writesOf(world, c);
        for (const made of [w.customers, w.invoices, w.cards, w.emails]) {
          lost += Math.max(0, 1 - made);
          doubled += Math.max(0, made - 1);
        }
        outcomes.push(repeated.length === 0 ? "resumed, no finished step repeated" : "a finished step repeated");
        seen.push({ after: AFTER[i], repeated, writes: w });
      }
      report(task, {
        category: "workflow interrupted between steps",
        cases: cases.length,
        outcomes: tally(outcomes),
        lost,
        doubled,
      });
      expect(seen).toEqual(
        AFTER.map((after) => ({
          after,
          repeated: [],
          writes: expect.objectContaining({ customers: 1, invoices: 1, cards: 1, emails: 1 }),
        })),
      );
    } finally {
      for (const inst of instances) await inst[Symbol.asyncDispose]();
    }
  });
});
