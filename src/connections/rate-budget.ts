import { DurableObject } from "cloudflare:workers";
import type { Provider } from "../../integrations/core/provider";

/**
 * The app's share of each provider's documented limit (docs/rate-limits.md),
 * as a token bucket: `rate` units per second, at most `burst` at once. Kept
 * below the provider's own figures so a request delayed on its way (permits
 * are handed out here, requests are counted there) still lands inside them.
 */
export const BUDGETS: Record<Provider, { rate: number; burst: number }> = {
  // 100 requests per 10 s per app per account.
  hubspot: { rate: 9, burst: 50 },
  // An average of 3 requests per second per connection.
  notion: { rate: 2.7, burst: 4 },
  // 25 operations per second in test mode (100 live): the test-mode figure until the mode is known here.
  stripe: { rate: 22, burst: 10 },
  // Gmail: 250 quota units per user per second on average (15,000 a minute); messages.send costs 100.
  google: { rate: 225, burst: 250 },
};

/**
 * One connection's rate budget, shared by every journey and task of its
 * workspace (one object per workspace and provider, so all callers meet
 * here). Permits are reservations: `take` books the units at the earliest
 * time the bucket allows and says how long the caller waits, so concurrent
 * callers queue in arrival order instead of racing and meeting 429s.
 * State lives in memory: an evicted object starts with a full bucket, which
 * the margin in BUDGETS absorbs once (no storage write per request).
 */
export class RateBudget extends DurableObject {
  private tokens: number | undefined;
  private at = 0;

  /** Books `cost` units of a `rate`/`burst` bucket; resolves to the milliseconds to wait before the request. */
  take(cost: number, rate: number, burst: number): number {
    const now = Date.now();
    const tokens = this.tokens === undefined ? burst : Math.min(burst, this.tokens + ((now - this.at) / 1000) * rate);
    // A cost above the burst could never be met: it waits for a full bucket and takes all of it.
    const booked = Math.min(cost, burst);
    this.tokens = tokens - booked;
    this.at = now;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / rate) * 1000);
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
