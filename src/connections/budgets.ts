import type { Provider } from "../../integrations/core/provider";

/**
 * A connection's budget: a token bucket (`rate` units per second, at most
 * `burst` at once) that paces the requests, and for a provider whose limit is
 * a rolling window also that window (at most `window.limit` units in any
 * `window.ms`), which caps them where the bucket alone would not.
 */
export interface Budget {
  rate: number;
  burst: number;
  window?: { limit: number; ms: number };
}

/** HubSpot's limit: 100 requests in any 10 s per app and account (docs/rate-limits.md). */
const HUBSPOT_WINDOW = { limit: 100, ms: 10_000 };

/**
 * How late after its time a bucket's permit may still be used (ms). A permit is a time slot: a request that leaves
 * much later than its slot lands among the requests permitted after it, and the provider counts more in a second
 * than the budget handed out (the 1,000-deal burst saw HubSpot requests arrive 25–33 in one second against 9.09
 * permitted, docs/rate-limits.md). Below the buckets' margins for uneven delays, (provider burst − app burst) ÷ rate
 * with the bursts the sandbox models: Stripe 0.6 s, Gmail 1 s, Notion 1.7 s. A window's units count until their
 * request lands instead (landing-window.ts), so lateness does not matter to them.
 */
export const PERMIT_LATE_MS = 500;

/**
 * The app's share of each provider's documented limit (docs/rate-limits.md).
 * A bucket's rate is the documented average: a rate below it would lengthen every
 * rate-bound drain by the same fraction (a 10 % margin alone costs 1.11× the
 * minimum), and buys no room against bunching. That room comes from the burst:
 * requests permitted here reach the provider a little later, and permits
 * handed out at the documented rate but delayed unevenly on the way still
 * land within the provider's bucket while the jitter stays below
 * (provider burst − app burst) ÷ rate (test/connections/rate-budget-book.test.ts).
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
    window: HUBSPOT_WINDOW,
  },
  // An average of 3 requests per second per connection.
  notion: { rate: 3, burst: 4 },
  // 25 operations per second in test mode (100 live): the test-mode figure until the mode is known here.
  stripe: { rate: 25, burst: 10 },
  // Gmail: 250 quota units per user per second on average (15,000 a minute); messages.send costs 100.
  google: { rate: 250, burst: 250 },
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

/** A budget's state: its bucket's (a window's units are the RateBudget's, landing-window.ts). */
export interface BudgetState {
  bucket?: BucketState;
}

/** Books `cost` units of `budget`'s bucket (`book`): how long the caller waits. */
export function bookBudget(
  state: BudgetState | undefined,
  now: number,
  cost: number,
  budget: Budget,
): { state: BudgetState; waitMs: number } {
  const bucket = book(state?.bucket, now, cost, budget.rate, budget.burst);
  return { state: { bucket: bucket.state }, waitMs: bucket.waitMs };
}

/** A 429's Retry-After on `budget`'s bucket (`hold`). */
export function holdBudget(
  state: BudgetState | undefined,
  now: number,
  retryAfterMs: number,
  budget: Budget,
): BudgetState {
  return { bucket: hold(state?.bucket, now, retryAfterMs, budget.rate, budget.burst) };
}
