import { DurableObject } from "cloudflare:workers";
import type { Landed } from "../../integrations/core/context";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type Budget, type BudgetState, grantBudget, holdBudget } from "./budgets";
import { type Landing, landUnits, UNIT_LATE_MAX_MS } from "./landing-window";

export { BUDGETS };

/**
 * One connection's rate budget, shared by every journey and task of its
 * workspace (one object per workspace and provider, so all callers meet
 * here). Permits are reservations: `take` books the units at the earliest
 * time the budget allows and says how long the caller waits, so concurrent
 * callers queue in arrival order instead of racing and meeting 429s. Each unit
 * counts until its request has landed (`land`, and `Budget.counted`), so while
 * every unit that could make room is still in flight the caller's `take` waits
 * here for one to land, callers in arrival order. State lives in memory: an
 * evicted object starts with a full budget, which the providers' own bursts
 * absorb once (no storage write per request; an object with callers waiting
 * is not evicted).
 */
export class RateBudget extends DurableObject {
  private state: BudgetState = {};
  private readonly queue: { cost: number; budget: Budget; grant: (permit: Permit) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Books `cost` units of `budget` (`grantBudget`); resolves to the wait before the request and the units to `land`. */
  take(cost: number, budget: Budget): Promise<Permit> {
    return new Promise((grant) => {
      this.queue.push({ cost, budget, grant });
      this.grantWaiting();
    });
  }

  /** The requests of units `ids` are over, as `landing` says: each counts until its budget's `counted.ms` from now. */
  land(ids: number[], landing: Landing): void {
    this.state = { ...this.state, counted: landUnits(this.state.counted, ids, Date.now(), landing) };
    this.grantWaiting();
  }

  /** The provider asked this connection to wait `retryAfterMs` (a 429): no permit before then (`holdBudget`). */
  hold(retryAfterMs: number, budget: Budget): void {
    this.state = holdBudget(this.state, Date.now(), retryAfterMs, budget);
  }

  /** Grants the waiting callers in arrival order until one must wait for a unit in flight to land. */
  private grantWaiting(): void {
    for (let next = this.queue[0]; next; next = this.queue[0]) {
      const now = Date.now();
      const granted = grantBudget(this.state, now, next.cost, next.budget);
      if ("blocked" in granted) {
        this.wakeAt(granted.until);
        return;
      }
      this.state = granted.state;
      this.queue.shift();
      next.grant({ waitMs: granted.at - now, units: granted.ids });
    }
  }

  /** A unit whose landing is never reported is deemed over at `until`: look again then. */
  private wakeAt(until: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.grantWaiting();
      },
      Math.max(0, until - Date.now()),
    );
  }
}

/** A permit: how long to wait before the request, and the units to report landed (`RateBudget.land`). */
export interface Permit {
  waitMs: number;
  units: number[];
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

/**
 * The permit function of one connection's context: waits as the
 * connection's RateBudget says, and answers the function that reports the
 * request's landing. The units count until their request lands, so a grant
 * used late harms nobody (a request leaves no earlier than its slot, and the
 * units in flight are capped: `Budget`): it is used up to `UNIT_LATE_MAX_MS`
 * late, and given back unsent and booked again beyond that. Without the
 * binding (`env.RATE_BUDGET`; a Worker configured without it) there is no
 * budget. Takes the binding, not the env: src/env.ts names this module's
 * class (no import circle).
 */
export function budgetPermit(
  namespace: DurableObjectNamespace<RateBudget> | undefined,
  workspaceId: string,
  provider: Provider,
  timing: PermitTiming = runtimeTiming,
): ((cost?: number) => Promise<Landed>) | undefined {
  if (!namespace) return undefined;
  const budget = BUDGETS[provider];
  return async (cost = 1) => {
    const stub = namespace.get(namespace.idFromName(`${workspaceId}:${provider}`));
    for (;;) {
      const { waitMs, units } = await stub.take(cost, budget);
      // The grant may have waited in the budget for a unit to land: its wait runs from the answer.
      const due = timing.now() + waitMs;
      if (waitMs > 0) await timing.sleep(waitMs);
      // However many bookings it takes: a unit used later than this could outlive IN_FLIGHT_MAX_MS unreported.
      if (timing.now() - due <= UNIT_LATE_MAX_MS) return (outcome) => stub.land(units, outcome);
      await stub.land(units, "unsent");
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
