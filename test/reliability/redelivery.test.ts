import { describe, expect, it } from "vitest";
import { captureLogs, useWorld, watchJourney } from "../world";
import {
  type Case,
  cardStatusDelivery,
  type Delivery,
  dealWonDelivery,
  finalState,
  invoicePaidDelivery,
  lostAndDoubled,
  openStudio,
  outcomeOf,
  type Studio,
  wonDeal,
  writesOf,
} from "./journeys";
import { prng, reliabilitySeed, report, tally } from "./seeded";

const world = useWorld();
// The receivers log every delivery: kept off the output.
captureLogs();
const SEED = reliabilitySeed();
/** Journeys delivered out of order (beside the in-order one), across two studios. */
const K = 10;
const STUDIOS: Studio[] = [
  { workspaceId: "ws-rel-a", portal: "4419001", notionWorkspace: "5e1f0c2a-0000-4000-8000-000000009001" },
  { workspaceId: "ws-rel-b", portal: "4419002", notionWorkspace: "5e1f0c2a-0000-4000-8000-000000009002" },
];

/** One delivery at a virtual time: deliveries are sent in time order, those in the same tick concurrently. */
type Scheduled = Delivery & { at: number };

/** `delivery` 1 to 5 times, each copy at a seeded virtual time in [from, from + span). */
function copies(rng: ReturnType<typeof prng>, delivery: Delivery, from: number, span: number): Scheduled[] {
  return Array.from({ length: rng.int(1, 5) }, () => ({ ...delivery, at: from + rng.int(0, span - 1) }));
}

/** Sends the schedule: ticks of 10 virtual ms in order, the deliveries of one tick at once (shuffled). */
async function play(rng: ReturnType<typeof prng>, schedule: Scheduled[]): Promise<string[]> {
  const ticks = new Map<number, Scheduled[]>();
  for (const item of schedule)
    ticks.set(Math.floor(item.at / 10), [...(ticks.get(Math.floor(item.at / 10)) ?? []), item]);
  const outcomes: string[] = [];
  for (const tick of [...ticks.keys()].sort((a, b) => a - b)) {
    const sent = rng.shuffle(ticks.get(tick) ?? []).map(async (d) => outcomeOf(d.provider, await d.send()));
    outcomes.push(...(await Promise.all(sent)));
  }
  return outcomes;
}

describe(`webhooks delivered 1–5 times, shuffled, with seeded delays (seed ${SEED})`, () => {
  // Eleven whole journeys share two cores with other test files: more time than one journey's test.
  it(`${K} journeys in two studios end as the in-order run, each write made exactly once`, { timeout: 90_000 }, async ({
    task,
  }) => {
    const rng = prng(SEED);
    const why = (c: Case) => `journey ${c.journeyId} (deal ${c.deal}), seed ${SEED}`;
    for (const studio of STUDIOS) await openStudio(studio);

    // The in-order run: each webhook once, each after the step that makes it possible.
    const inOrder = await wonDeal(world, STUDIOS[0] as Studio, "8800");
    {
      await using instance = await watchJourney(inOrder.journeyId);
      expect(await outcomeOf("hubspot", await dealWonDelivery(inOrder, 98800).send())).toBe("hubspot:started");
      await instance.waitForStepResult({ name: "onboarding.payment.await" });
      await (await cardStatusDelivery(world, inOrder, "In progress")).send();
      await invoicePaidDelivery(world, inOrder).send();
      await instance.waitForStatus("complete");
    }
    const expectedState = await finalState(world, inOrder);
    const expectedWrites = writesOf(world, inOrder);
    expect(expectedState.status).toBe("complete");
    expect(expectedWrites).toMatchObject({ customers: 1, invoices: 1, cards: 1, emails: 1 });

    // K journeys: the deal-won event redelivered (same id) and sent again as a new change (new id), shuffled.
    const cases = await Promise.all(
      Array.from({ length: K }, (_, i) => wonDeal(world, STUDIOS[i % 2] as Studio, String(8801 + i))),
    );
    const instances = await Promise.all(cases.map((c) => watchJourney(c.journeyId)));
    try {
      const first = cases.flatMap((c, i) => [
        ...copies(rng, dealWonDelivery(c, 98801 + i), 0, 200),
        ...copies(rng, dealWonDelivery(c, 99801 + i), 100, 200),
      ]);
      const outcomes = await play(rng, first);
      // Payment and the card's status need the invoice and the card: both exist once the card step ran.
      await Promise.all(instances.map((inst) => inst.waitForStepResult({ name: "onboarding.project-card" })));
      const later: Scheduled[] = [];
      for (const [i, c] of cases.entries()) {
        later.push(...copies(rng, dealWonDelivery(c, 98801 + i), 0, 300));
        later.push(...copies(rng, await cardStatusDelivery(world, c, "In progress"), 0, 300));
        later.push(...copies(rng, invoicePaidDelivery(world, c), 0, 300));
      }
      outcomes.push(...(await play(rng, later)));
      await Promise.all(instances.map((inst) => inst.waitForStatus("complete")));

      let lost = 0;
      let doubled = 0;
      const ended = [];
      for (const c of cases) {
        const writes = writesOf(world, c);
        const counted = lostAndDoubled(expectedWrites, writes);
        lost += counted.lost;
        doubled += counted.doubled;
        ended.push({ c, writes, state: await finalState(world, c) });
      }
      // The figures go out before the assertions, so a failing run still reports what it found.
      report(task, {
        category: "webhooks: redelivered, reordered",
        cases: outcomes.length,
        outcomes: tally(outcomes),
        lost,
        doubled,
      });
      for (const { c, writes, state } of ended) {
        expect(writes, why(c)).toEqual(expectedWrites);
        expect(state, why(c)).toEqual(expectedState);
      }
      expect(
        outcomes.filter((o) => o.includes(":http-")),
        `seed ${SEED}`,
      ).toEqual([]);
    } finally {
      for (const inst of instances) await inst[Symbol.asyncDispose]();
    }
  });
});
