import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type BucketState, book } from "./budgets";

export { BUDGETS };

/**
 * One connection's rate budget, shared by every journey and task of its
 * workspace (one object per workspace and provider, so all callers meet
 * here). Permits are reservations: `take` books the units at the earliest
 * time the bucket allows and says how long the caller waits, so concurrent
 * callers queue in arrival order instead of racing and meeting 429s.
 * State lives in memory: an evicted object starts with a full bucket, which
 * the burst margin in BUDGETS absorbs once (no storage write per request).
 */
export class RateBudget extends DurableObject {
  private bucket: BucketState | undefined;

  /** Books `cost` units of a `rate`/`burst` bucket (`book`); resolves to the milliseconds to wait before the request. */
  take(cost: number, rate: number, burst: number): number {
    const { state, waitMs } = book(this.bucket, Date.now(), cost, rate, burst);
    this.bucket = state;
    return waitMs;
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
  const { rate, burst } = BUDGETS[provider];
  return async (cost = 1) => {
    const budget = namespace.get(namespace.idFromName(`${workspaceId}:${provider}`));
    const wait = await budget.take(cost, rate, burst);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
