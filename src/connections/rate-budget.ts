import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type Budget, type BudgetState, bookBudget, holdBudget, PERMIT_LATE_MS } from "./budgets";

export { BUDGETS };

/**
 * One connection's rate budget, shared by every journey and task of its
 * workspace (one object per workspace and provider, so all callers meet
 * here). Permits are reservations: `take` books the units at the earliest
 * time the budget (a bucket, or HubSpot's rolling window) allows and says how
 * long the caller waits, so concurrent callers queue in arrival order instead
 * of racing and meeting 429s. State lives in memory: an evicted object starts
 * with a full budget, which the margins in BUDGETS absorb once (no storage
 * write per request).
 */
export class RateBudget extends DurableObject {
  private state: BudgetState | undefined;

  /** Books `cost` units of `budget` (`bookBudget`); resolves to the milliseconds to wait before the request. */
  take(cost: number, budget: Budget): number {
    const { state, waitMs } = bookBudget(this.state, Date.now(), cost, budget);
    this.state = state;
    return waitMs;
  }

  /** The provider asked this connection to wait `retryAfterMs` (a 429): no permit before then (`holdBudget`). */
  hold(retryAfterMs: number, budget: Budget): void {
    this.state = holdBudget(this.state, Date.now(), retryAfterMs, budget);
  }
}

/** How the permit function tells time: the runtime's clock and timers, or a test's. */
export interface PermitTiming {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const runtimeTiming: PermitTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How many times one request books before it goes however late its permit (a machine that slow waits no better). */
const MAX_BOOKINGS = 3;

/**
 * The permit function of one connection's context: waits as the
 * connection's RateBudget says, and books again when the wait ended more
 * than `PERMIT_LATE_MS` after the permitted time (a busy isolate, a late
 * timer): the late slot stays spent, and the request takes a new one rather
 * than land among the requests permitted after it. Without the binding
 * (`env.RATE_BUDGET`; a Worker configured without it) there is no budget.
 * Takes the binding, not the env: src/env.ts names this module's class (no
 * import circle).
 */
export function budgetPermit(
  namespace: DurableObjectNamespace<RateBudget> | undefined,
  workspaceId: string,
  provider: Provider,
  timing: PermitTiming = runtimeTiming,
): ((cost?: number) => Promise<void>) | undefined {
  if (!namespace) return undefined;
  const budget = BUDGETS[provider];
  return async (cost = 1) => {
    const stub = namespace.get(namespace.idFromName(`${workspaceId}:${provider}`));
    for (let booking = 1; ; booking++) {
      // Timed from before the booking: the round trip to the budget counts as lateness too.
      const due = timing.now() + (await stub.take(cost, budget));
      const wait = due - timing.now();
      if (wait > 0) await timing.sleep(wait);
      if (timing.now() - due <= PERMIT_LATE_MS || booking >= MAX_BOOKINGS) return;
    }
  };
}

/**
 * The throttle function of one connection's context: tells the connection's
 * RateBudget that the provider answered 429 with Retry-After, so every
 * journey of the workspace waits it out before its next request. Absent
 * without the binding.
 */
export function budgetThrottle(
  namespace: DurableObjectNamespace<RateBudget> | undefined,
  workspaceId: string,
  provider: Provider,
): ((retryAfterMs: number) => Promise<void>) | undefined {
  if (!namespace) return undefined;
  const budget = BUDGETS[provider];
  return async (retryAfterMs) => {
    await namespace.get(namespace.idFromName(`${workspaceId}:${provider}`)).hold(retryAfterMs, budget);
  };
}
