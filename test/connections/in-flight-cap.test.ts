import { describe, expect, it } from "vitest";
import { RateLimit, type RateLimitSpec } from "../../emulators/rate-limit";
import { gmailLimit, notionLimit, stripeLimit } from "../../emulators/rate-limit-specs";
import { BUDGETS, type Budget, type BudgetState, book, grantBudget } from "../../src/connections/budgets";
import { landUnits } from "../../src/connections/landing-window";
import { prng } from "../reliability/seeded";

const SEED = 1313;

const BUCKETS = [
  ["notion", notionLimit, 1],
  ["stripe", stripeLimit, 1],
  // A Gmail send costs 100 quota units (rate-limit-specs.ts, gmailCost).
  ["google", gmailLimit, 100],
] as const;

/**
 * Runs `count` requests of `cost` units, all wanting to go at 0, through `budget` as the RateBudget grants them
 * (`grantBudget`, in arrival order, each landing reported when it happens): each reaches the provider `leave(slot)`
 * ms after its slot (a busy isolate, the network) and is answered `answer()` ms after that. Answers when each
 * request reached the provider.
 */
function simulate(
  budget: Budget,
  count: number,
  cost: number,
  delays: { leave: (slot: number) => number; answer: () => number },
) {
  let state: BudgetState = {};
  let now = 0;
  const landings: { at: number; ids: number[] }[] = [];
  const arrivals: number[] = [];
  while (arrivals.length < count) {
    const granted = grantBudget(state, now, cost, budget);
    if ("blocked" in granted) {
      // Every unit that could make room is in flight: time moves to the next landing.
      landings.sort((a, b) => a.at - b.at);
      const next = landings.shift();
      if (!next) throw new Error("blocked with nothing in flight");
      now = Math.max(now, next.at);
      state = { ...state, counted: landUnits(state.counted, next.ids, now, "answered") };
      continue;
    }
    state = granted.state;
    const arrival = granted.at + delays.leave(granted.at);
    arrivals.push(arrival);
    landings.push({ at: arrival + delays.answer(), ids: granted.ids });
  }
  return arrivals;
}

/**
 * A thread that stalls `stallMs` of every `periodMs` (a major collection, a busy isolate): a request whose slot falls
 * in a stall leaves when it ends, with every other request held there.
 */
function stalls(periodMs: number, stallMs: number) {
  return (slot: number) => {
    const into = slot % periodMs;
    return into < stallMs ? stallMs - into : 0;
  };
}

/** How many requests of `cost` units at these times (ms) the emulator's limiter refuses. */
function refused(spec: RateLimitSpec, times: number[], cost: number): number {
  const limiter = new RateLimit(spec);
  limiter.enable();
  for (const t of [...times].sort((a, b) => a - b)) limiter.take("account", cost, t);
  return limiter.refused;
}

describe("a bucket's units in flight are capped (Budget.counted with ms 0)", () => {
  it("sizes each cap so that it and the app's burst stay within the burst the sandbox models", () => {
    for (const [provider, spec] of BUCKETS) {
      const { rate, burst, counted } = BUDGETS[provider];
      expect({ provider, rate, ms: counted.ms }).toEqual({ provider, rate: spec.rate, ms: 0 });
      expect(counted.limit + burst, provider).toBeLessThanOrEqual(spec.burst);
    }
  });

  it("keeps each provider's bucket however late requests leave: up to 5 s at random, or held by 2.5 s stalls", () => {
    const random = prng(SEED).next;
    for (const [provider, spec, cost] of BUCKETS) {
      const answer = () => Math.floor(random() * 300);
      const late = simulate(BUDGETS[provider], 400, cost, { leave: () => Math.floor(random() * 5000), answer });
      expect(refused(spec, late, cost), `${provider}, random delays, seed ${SEED}`).toBe(0);
      const held = simulate(BUDGETS[provider], 400, cost, { leave: stalls(4000, 2500), answer });
      expect(refused(spec, held, cost), `${provider}, stalls, seed ${SEED}`).toBe(0);
    }
  });

  it("is what keeps them: the same stalls through the bucket alone meet 429s at every provider", () => {
    for (const [provider, spec, cost] of BUCKETS) {
      const uncapped = { ...BUDGETS[provider], counted: { limit: Number.MAX_SAFE_INTEGER, ms: 0 } };
      const held = simulate(uncapped, 400, cost, { leave: stalls(4000, 2500), answer: () => 100 });
      expect(refused(spec, held, cost), provider).toBeGreaterThan(0);
    }
  });

  it("costs nothing while requests land within the cap's time: 300 Notion requests answered in 40 ms go at the bucket's slots", () => {
    const arrivals = simulate(BUDGETS.notion, 300, 1, { leave: () => 20, answer: () => 20 });
    // The bucket alone: the burst at once, then 1/rate apart (book rounds each wait up to the ms).
    let bucket: ReturnType<typeof book>["state"] | undefined;
    const slots = arrivals.map(() => {
      const booked = book(bucket, 0, 1, BUDGETS.notion.rate, BUDGETS.notion.burst);
      bucket = booked.state;
      return booked.waitMs + 20;
    });
    expect(arrivals).toEqual(slots);
    expect(refused(notionLimit, arrivals, 1)).toBe(0);
    // (300 − 4) ÷ 3 s after the first, the documented minimum.
    expect(Math.max(...arrivals)).toBe(Math.ceil((296 / 3) * 1000) + 20);
  });

  it("slows a connection whose requests take longer than the cap allows to the cap's own pace, without a 429", () => {
    // Notion answering in 2.5 s: 5 in flight allow 2 a second, below the 3 the bucket would hand out.
    const arrivals = simulate(BUDGETS.notion, 60, 1, { leave: () => 0, answer: () => 2500 });
    expect(refused(notionLimit, arrivals, 1)).toBe(0);
    // 5 at a time, each group 2.5 s after the previous (the fifth of the first group waits for its slot, 334 ms).
    expect(Math.max(...arrivals)).toBeGreaterThanOrEqual(11 * 2500);
  });
});
