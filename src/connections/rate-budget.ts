import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type BucketState, book, hold } from "./budgets";

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

  /** The provider asked this connection to wait `retryAfterMs` (a 429): no permit before then (`hold`). */
  hold(retryAfterMs: number, rate: number, burst: number): void {
    this.bucket = hold(this.bucket, Date.now(), retryAfterMs, rate, burst);
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
  const { rate, burst } = BUDGETS[provider];
  return async (retryAfterMs) => {
    await namespace.get(namespace.idFromName(`${workspaceId}:${provider}`)).hold(retryAfterMs, rate, burst);
  };
}
