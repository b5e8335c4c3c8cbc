import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type Budget, type BudgetState, bookBudget, holdBudget } from "./budgets";

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

/**
 * The permit function of one connection's context: waits as the
 * connection's RateBudget says. Without the binding (`env.RATE_BUDGET`; a
 * Worker configured without it) there is no budget. Takes the binding, not
 * the env: src/env.ts names this module's class (no import circle).
 */
export function budgetPermit(
  namespace: DurableObjectNamespace<RateBudget> | undefined,
  workspaceId: string,
  provider: Provider,
): ((cost?: number) => Promise<void>) | undefined {
  if (!namespace) return undefined;
  const budget = BUDGETS[provider];
  return async (cost = 1) => {
    const wait = await namespace.get(namespace.idFromName(`${workspaceId}:${provider}`)).take(cost, budget);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
