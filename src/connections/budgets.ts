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
 * How unevenly requests may be delayed between their permit and the provider (ms) with HubSpot's window still
 * kept: the app's window is this much longer than HubSpot's, so any 10 s at HubSpot holds requests permitted
 * within 11 s here, at most 100 (test/connections/rate-budget-book.test.ts).
 */
export const HUBSPOT_TRANSIT_MS = 1000;

/**
 * How late after its time a permit may still be used (ms). A permit is a time slot: a request that leaves much
 * later than its slot lands among the requests permitted after it, and the provider counts more in a second, or
 * in a window, than the budget handed out (the 1,000-deal burst saw HubSpot requests arrive 25–33 in one second
 * against 9.09 permitted, docs/rate-limits.md). Half of HubSpot's transit margin, so that what happens after the
 * request leaves keeps the other half. The buckets' margins for uneven delays, (provider burst − app burst) ÷
 * rate with the bursts the sandbox models, are wider: Stripe 0.6 s, Gmail 1 s, Notion 1.7 s.
 */
export const PERMIT_LATE_MS = HUBSPOT_TRANSIT_MS / 2;

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
  // 100 requests in any 10 s (HubSpot's TEN_SECONDLY_ROLLING window), kept as a window over 11 s here
  // (HUBSPOT_TRANSIT_MS), paced by a bucket at the window's average with a small burst: a window alone hands out
  // its whole 100 at once, and a hundred requests leaving one busy Worker together reach HubSpot spread over more
  // than the transit margin, so the next 100, granted as those turn 11 s old, met a window still full (582 429s
  // in the 1,000-deal burst; docs/rate-limits.md). A bucket alone cannot match the window at its average: 9/s
  // with a burst of 50 sent 139 within the first 10 s.
  hubspot: {
    rate: (HUBSPOT_WINDOW.limit * 1000) / (HUBSPOT_WINDOW.ms + HUBSPOT_TRANSIT_MS),
    burst: 10,
    window: { limit: HUBSPOT_WINDOW.limit, ms: HUBSPOT_WINDOW.ms + HUBSPOT_TRANSIT_MS },
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

/** A rolling window's state: the times (epoch ms, ascending) of its last `limit` units, and no grant before `notBefore`. */
export interface WindowState {
  grants: number[];
  notBefore: number;
}

/**
 * Books `cost` units of a rolling window (at most `limit` units in any `windowMs`) at `now`: each unit is
 * granted at the earliest time that keeps the window, and never before the last unit granted (callers queue in
 * arrival order) or `notBefore` (a 429's Retry-After). The answer says how long this caller waits. A cost above
 * the limit takes the whole limit.
 */
export function bookWindow(
  state: WindowState | undefined,
  now: number,
  cost: number,
  limit: number,
  windowMs: number,
): { state: WindowState; waitMs: number } {
  const grants = [...(state?.grants ?? [])];
  const notBefore = state?.notBefore ?? 0;
  let at = Math.max(now, notBefore, grants.at(-1) ?? 0);
  for (let unit = 0; unit < Math.min(cost, limit); unit++) {
    const leaving = grants.length >= limit ? grants[grants.length - limit] : undefined;
    if (leaving !== undefined) at = Math.max(at, leaving + windowMs);
    grants.push(at);
  }
  return { state: { grants: grants.slice(-limit), notBefore }, waitMs: at - now };
}

/** The provider answered 429 with Retry-After `retryAfterMs` at `now`: no unit of the window before then. */
export function holdWindow(state: WindowState | undefined, now: number, retryAfterMs: number): WindowState {
  return {
    grants: state?.grants ?? [],
    notBefore: Math.max(state?.notBefore ?? 0, now + Math.max(0, retryAfterMs)),
  };
}

/** A budget's state: its bucket's, and its window's where it has one. */
export interface BudgetState {
  bucket?: BucketState;
  window?: WindowState;
}

/**
 * Books `cost` units of `budget`: the bucket says when they may go (`book`), and a window, where there is one,
 * may say later (`bookWindow` from that time). The caller waits for both.
 */
export function bookBudget(
  state: BudgetState | undefined,
  now: number,
  cost: number,
  budget: Budget,
): { state: BudgetState; waitMs: number } {
  const bucket = book(state?.bucket, now, cost, budget.rate, budget.burst);
  if (!budget.window) return { state: { bucket: bucket.state }, waitMs: bucket.waitMs };
  const paced = now + bucket.waitMs;
  const window = bookWindow(state?.window, paced, cost, budget.window.limit, budget.window.ms);
  return { state: { bucket: bucket.state, window: window.state }, waitMs: bucket.waitMs + window.waitMs };
}

/** A 429's Retry-After on `budget`: its bucket (`hold`) and its window (`holdWindow`) both wait it out. */
export function holdBudget(
  state: BudgetState | undefined,
  now: number,
  retryAfterMs: number,
  budget: Budget,
): BudgetState {
  const bucket = hold(state?.bucket, now, retryAfterMs, budget.rate, budget.burst);
  return budget.window ? { bucket, window: holdWindow(state?.window, now, retryAfterMs) } : { bucket };
}
