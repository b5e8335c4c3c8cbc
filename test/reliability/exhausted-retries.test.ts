import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { presetTemplate } from "../../src/engine/presets";
import { findJourney } from "../../src/store/journeys";
import { grantGmailReadonly } from "../integrations/google-scopes";
import { ownerWithProcess } from "../journeys/fixtures";
import { captureLogs, useWorld, watchJourney } from "../world";
import { FAULTS, injectFaults, type Plan, PROVIDERS, STEPS } from "./faults";
import { dealWonDelivery, wonDeal, writesOf } from "./journeys";
import { prng, reliabilitySeed, report, tally } from "./seeded";

const world = useWorld();
captureLogs();
const SEED = reliabilitySeed();
/** run-step.ts retries a step 6 times after its first attempt. */
const ATTEMPTS = 7;

interface StepView {
  name: string;
  status: string;
  actions: string[];
  error: { summary: string; raw: string } | null;
}

describe(`a provider fault that outlasts the retries holds the journey at its step (seed ${SEED})`, () => {
  it("each provider: held with the reason, retry and skip offered; the owner's retry makes the write once", {
    timeout: 90_000,
  }, async ({ task }) => {
    const rng = prng(SEED);
    const owners = await Promise.all(
      PROVIDERS.map((p, i) =>
        ownerWithProcess(world, `owner-rel-${p}`, String(4419201 + i), presetTemplate("onboarding")),
      ),
    );
    // Gmail retries a send that may have gone through only where Sent mail can be checked first (see provider-faults).
    await Promise.all(owners.map((o) => grantGmailReadonly(o.workspaceId)));
    const cases = await Promise.all(
      owners.map((o, i) => wonDeal(world, { ...o, notionWorkspace: "" }, String(8921 + i))),
    );
    // The fault at each provider is drawn from the seed; it lasts until the test lifts it.
    const plans: Plan[] = cases.map((c, i) => ({
      c,
      provider: PROVIDERS[i] as Plan["provider"],
      fault: FAULTS[rng.int(0, FAULTS.length - 1)] as Plan["fault"],
      left: Number.POSITIVE_INFINITY,
      faulted: 0,
    }));
    injectFaults(world, plans);
    const instances = await Promise.all(cases.map((c) => watchJourney(c.journeyId)));
    try {
      await Promise.all(cases.map((c, i) => dealWonDelivery(c, 98921 + i).send()));
      await Promise.all(
        plans.map((p, i) => instances[i]?.waitForStepResult({ name: `journey.hold#${STEPS[p.provider]}#0` })),
      );

      const held = [];
      for (const [i, plan] of plans.entries()) {
        const owner = owners[i] as (typeof owners)[number];
        const view = (await (await owner.browser.fetch(`/api/journeys/${plan.c.journeyId}`)).json()) as {
          steps: StepView[];
        };
        const step = view.steps.find((s) => s.name === STEPS[plan.provider]);
        held.push({
          plan: `${plan.provider} ${plan.fault}`,
          faulted: plan.faulted,
          journey: (await findJourney(env.DB, plan.c.journeyId))?.status,
          status: step?.status,
          actions: step?.actions,
          // The reason names what the provider did: its HTTP status, or that it could not be reached.
          reasonShown:
            Boolean(step?.error?.summary) &&
            (step?.error?.raw ?? "").includes(
              plan.fault === "reset"
                ? `${plan.provider === "gmail" ? "google" : plan.provider} unreachable`
                : `answered ${Number.parseInt(plan.fault, 10)}`,
            ),
        });
        // The provider answers again; the owner retries.
        plan.left = 0;
        const retried = await owner.browser.fetch(
          `/api/journeys/${plan.c.journeyId}/steps/${STEPS[plan.provider]}/retry`,
          {
            method: "POST",
            headers: { "x-csrf-token": owner.csrf },
          },
        );
        expect(retried.status, `${plan.provider}, seed ${SEED}`).toBe(202);
      }
      await Promise.all(instances.map((inst) => inst.waitForStepResult({ name: "onboarding.payment.await" })));

      let lost = 0;
      let doubled = 0;
      const outcomes: string[] = [];
      for (const plan of plans) {
        const w = writesOf(world, plan.c);
        for (const made of [w.invoices, w.cards, w.emails, w.customers]) {
          lost += Math.max(0, 1 - made);
          doubled += Math.max(0, made - 1);
        }
      }
      for (const h of held) {
        const ok = h.faulted === ATTEMPTS && h.status === "failed" && h.reasonShown && h.actions?.includes("skip");
        outcomes.push(ok ? "held, reason shown, retry and skip offered" : "not held as expected");
      }
      outcomes.push(...plans.map(() => "owner retried, then succeeded once"));
      report(task, {
        category: "provider faults: retries run out",
        cases: plans.length,
        outcomes: tally(outcomes),
        lost,
        doubled,
      });

      expect(held, `seed ${SEED}`).toEqual(
        plans.map((p) => ({
          plan: `${p.provider} ${p.fault}`,
          faulted: ATTEMPTS,
          journey: "failed",
          status: "failed",
          actions: ["retry", "skip"],
          reasonShown: true,
        })),
      );
      for (const plan of plans) {
        expect(writesOf(world, plan.c), `${plan.provider}, seed ${SEED}`).toMatchObject({
          invoices: 1,
          cards: 1,
          emails: 1,
          customers: 1,
        });
      }
      expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
    } finally {
      for (const inst of instances) await inst[Symbol.asyncDispose]();
    }
  });
});
