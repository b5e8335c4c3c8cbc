import type { Provider } from "../../integrations/core/provider";

/**
 * The app's share of each provider's documented limit (docs/rate-limits.md),
 * as a token bucket: `rate` units per second, at most `burst` at once. The
 * rate is the documented average (HubSpot's excepted, below): a rate below it would lengthen every
 * rate-bound drain by the same fraction (a 10 % margin alone costs 1.11× the
 * minimum), and buys no room against bunching. That room comes from the burst:
 * requests permitted here reach the provider a little later, and permits
 * handed out at the documented rate but delayed unevenly on the way still
 * land within the provider's bucket while the jitter stays below
 * (provider burst − app burst) ÷ rate (test/connections/rate-budget-book.test.ts).
 */
export const BUDGETS: Record<Provider, { rate: number; burst: number }> = {
  // 100 requests per 10 s per app per account. A rolling window, which no bucket with a burst matches at the
  // documented average: left as it was until the emulator models the window (docs/rate-limits.md, "Burst drain analysis").
  hubspot: { rate: 9, burst: 50 },
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
