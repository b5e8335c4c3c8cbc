import type { Provider } from "../../integrations/core/provider";
import { grantWindow, holdLandingWindow, type LandingWindowState } from "./landing-window";

/**
 * A connection's budget: a token bucket (`rate` units per second, at most
 * `burst` at once) that paces the requests, and a count of the units that may
 * still count at the provider (`counted`): at most `counted.limit` at once,
 * each from its permit until `counted.ms` after its request landed
 * (landing-window.ts). For HubSpot that is its rolling window (100 in any
 * 10 s). For a provider whose limit is a bucket (`ms` 0) it caps the units in
 * flight, which keeps the provider's bucket however late requests leave or
 * arrive: the requests reaching the provider within any span [s, t] were
 * either permitted before s and so still in flight at s (at most `limit`), or
 * permitted after s, each no earlier than its bucket slot, so with their slots
 * in [s, t] (at most `burst + rate·(t − s)`). That is within the provider's
 * own bucket (its burst, the same rate) whenever `limit + burst` is at most
 * the provider's burst (test/connections/in-flight-cap.test.ts).
 */
export interface Budget {
  rate: number;
  burst: number;
  counted: { limit: number; ms: number };
}

/** HubSpot's limit: 100 requests in any 10 s per app and account (docs/rate-limits.md). */
const HUBSPOT_WINDOW = { limit: 100, ms: 10_000 };

/**
 * The app's share of each provider's documented limit (docs/rate-limits.md).
 * A bucket's rate is the documented average: a rate below it would lengthen every
 * rate-bound drain by the same fraction (a 10 % margin alone costs 1.11× the
 * minimum), and buys no room against bunching. That room comes from the cap on
 * units in flight (above), sized so that the cap and the app's burst together
 * stay within the burst the sandbox models for the provider (Notion 9, Stripe
 * 25, Gmail 500 units; emulators/rate-limit-specs.ts). Until 2026-12-01 the
 * buckets had no cap: a permit used more than 500 ms after its slot was booked
 * again, and requests delayed unevenly on their way stayed in the provider's
 * bucket only while the jitter stayed below (provider burst − app burst) ÷ rate,
 * 1.7 s at Notion, which a slow hour of the 1,000-deal burst exceeded (149 Notion
 * 429s, docs/rate-limits.md).
 */
export const BUDGETS: Record<Provider, Budget> = {
  // 100 requests in any 10 s (HubSpot's TEN_SECONDLY_ROLLING window), each counted here from its permit until 10 s
  // after its request landed (src/connections/landing-window.ts), so the window holds however unevenly requests are
  // delayed on their way, without a margin. Paced by a bucket at the window's average with a small burst: with the
  // whole 100 at once, a burst's journeys all started together, Notion's budget (3/s) became their queue, its
  // permits came late on the busy machine and Notion answered 136 429s (1,000-deal burst: 1.64x its minimum;
  // paced, 1.14x; docs/rate-limits.md). Until 2026-12-01 the window ran over 11 s from the permits (a 1 s transit
  // margin, paced at 9.09/s): requests reached HubSpot up to 2.4 s after their slot, beyond the margin, and the
  // margin alone made a HubSpot-bound drain 1.1x its minimum.
  hubspot: {
    rate: (HUBSPOT_WINDOW.limit * 1000) / HUBSPOT_WINDOW.ms,
    burst: 10,
    counted: HUBSPOT_WINDOW,
  },
  // An average of 3 requests per second per connection: 4 at once, 5 in flight (4 + 5 = the 9 modelled).
  notion: { rate: 3, burst: 4, counted: { limit: 5, ms: 0 } },
  // 25 operations per second in test mode (100 live): the test-mode figure until the mode is known here.
  // 10 at once, 15 in flight (25 modelled).
  stripe: { rate: 25, burst: 10, counted: { limit: 15, ms: 0 } },
  // Gmail: 250 quota units per user per second on average (15,000 a minute); messages.send costs 100.
  // 200 units at once (two sends), 300 in flight (three sends; 500 modelled).
  google: { rate: 250, burst: 200, counted: { limit: 300, ms: 0 } },
};

/** A bucket's state: its tokens (negative while reservations are pending) as of `at` (epoch ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

/**
 * Books `cost` units of a `rate`/`burst` bucket at `now`: the refill since
 * the last booking is added (never beyond the burst), the cost is taken even
 * if that leaves the bucket negative (a reservation), and the answer says how
 * long this caller waits until its units are covered. Callers booking at once
 * are spaced 1/rate apart in arrival order. A state of `undefined` is a full
 * bucket. A cost above the burst could never be met: it takes the whole burst.
 */
export function book(
  state: BucketState | undefined,
  now: number,
  cost: number,
  rate: number,
  burst: number,
): { state: BucketState; waitMs: number } {
  const tokens = state === undefined ? burst : Math.min(burst, state.tokens + ((now - state.at) / 1000) * rate);
  const left = tokens - Math.min(cost, burst);
  return { state: { tokens: left, at: now }, waitMs: left >= 0 ? 0 : Math.ceil((-left / rate) * 1000) };
}

/**
 * The provider answered 429 with Retry-After `retryAfterMs` at `now`: the bucket owes that long, so no permit
 * is granted before `now + retryAfterMs` and later callers queue behind it at the rate (every journey of the
 * connection waits once, instead of each meeting its own 429). A debt already deeper is kept; several 429s of
 * one moment do not add up.
 */
export function hold(
  state: BucketState | undefined,
  now: number,
  retryAfterMs: number,
  rate: number,
  burst: number,
): BucketState {
  const current = book(state, now, 0, rate, burst).state;
  return { tokens: Math.min(current.tokens, -(Math.max(0, retryAfterMs) / 1000) * rate), at: now };
}

/** A connection's budget state: its bucket and its units that may still count (landing-window.ts). */
export interface BudgetState {
  bucket?: BucketState;
  counted?: LandingWindowState;
}

/**
 * Grants `cost` units of `budget` at `now`, in arrival order: the bucket's slot (`book`), and no earlier than the
 * count allows (`grantWindow`). Blocked, the state unchanged, while every unit that could make room is in flight.
 */
export function grantBudget(
  state: BudgetState,
  now: number,
  cost: number,
  budget: Budget,
): { state: BudgetState; at: number; ids: number[] } | { blocked: true; until: number } {
  const bucket = book(state.bucket, now, cost, budget.rate, budget.burst);
  const { limit, ms } = budget.counted;
  const granted = grantWindow(state.counted, now, now + bucket.waitMs, cost, limit, ms);
  if ("blocked" in granted) return granted;
  return { state: { bucket: bucket.state, counted: granted.state }, at: granted.at, ids: granted.ids };
}

/** A 429's Retry-After at `now`: the bucket owes it (`hold`) and the count grants nothing before it ends. */
export function holdBudget(state: BudgetState, now: number, retryAfterMs: number, budget: Budget): BudgetState {
  return {
    bucket: hold(state.bucket, now, retryAfterMs, budget.rate, budget.burst),
    counted: holdLandingWindow(state.counted, now, retryAfterMs),
  };
}
