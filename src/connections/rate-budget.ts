import { DurableObject } from "cloudflare:workers";
import type { Landed } from "../../integrations/core/context";
import type { Provider } from "../../integrations/core/provider";
import { BUDGETS, type Budget, type BudgetState, book, bookBudget, holdBudget, PERMIT_LATE_MS } from "./budgets";
import {
  grantWindow,
  holdLandingWindow,
  type Landing,
  type LandingWindowState,
  landUnits,
  UNIT_LATE_MAX_MS,
} from "./landing-window";

export { BUDGETS };

/**
 * One connection's rate budget, shared by every journey and task of its
 * workspace (one object per workspace and provider, so all callers meet
 * here). Permits are reservations: `take` books the units at the earliest
 * time the budget allows and says how long the caller waits, so concurrent
 * callers queue in arrival order instead of racing and meeting 429s.
 * A bucket books at once. A rolling window (HubSpot's) counts each unit until
 * its request has landed (`land`), so while every unit that could make room is
 * still in flight the caller's `take` waits here for one to land, callers in
 * arrival order. State lives in memory: an evicted object starts with a full
 * budget, which the providers' own bursts absorb once (no storage write per
 * request; an object with callers waiting is not evicted).
 */
export class RateBudget extends DurableObject {
  private state: BudgetState | undefined;
  private window: LandingWindowState | undefined;
  private readonly queue: { cost: number; budget: Budget; grant: (permit: Permit) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Books `cost` units of `budget` (`bookBudget`); resolves to the wait before the request and the units to `land`. */
  take(cost: number, budget: Budget): Permit | Promise<Permit> {
    if (!budget.window) {
      const { state, waitMs } = bookBudget(this.state, Date.now(), cost, budget);
      this.state = state;
      return { waitMs };
    }
    return new Promise((grant) => {
      this.queue.push({ cost, budget, grant });
      this.grantWaiting();
    });
  }

  /** The requests of window units `ids` are over, as `landing` says: the window counts each until its window from now. */
  land(ids: number[], landing: Landing): void {
    this.window = landUnits(this.window, ids, Date.now(), landing);
    this.grantWaiting();
  }

  /** The provider asked this connection to wait `retryAfterMs` (a 429): no permit before then (`holdBudget`). */
  hold(retryAfterMs: number, budget: Budget): void {
    this.state = holdBudget(this.state, Date.now(), retryAfterMs, budget);
    if (budget.window) this.window = holdLandingWindow(this.window, Date.now(), retryAfterMs);
  }

  /** Grants the waiting callers in arrival order until one must wait for a unit in flight to land. */
  private grantWaiting(): void {
    while (this.queue.length > 0) {
      const [next] = this.queue;
      if (!next?.budget.window) return;
      const now = Date.now();
      const bucket = book(this.state?.bucket, now, next.cost, next.budget.rate, next.budget.burst);
      const { limit, ms } = next.budget.window;
      const granted = grantWindow(this.window, now, now + bucket.waitMs, next.cost, limit, ms);
      if ("blocked" in granted) {
        this.wakeAt(granted.until);
        return;
      }
      this.state = { ...this.state, bucket: bucket.state };
      this.window = granted.state;
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

/** A permit: how long to wait before the request, and for a window the units to report landed (`RateBudget.land`). */
export interface Permit {
  waitMs: number;
  units?: number[];
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
 * connection's RateBudget says. A bucket's permit is a time slot, booked again
 * when the wait ended more than `PERMIT_LATE_MS` after the permitted time (a
 * busy isolate, a late timer): the late slot stays spent, and the request
 * takes a new one rather than land among the requests permitted after it. A
 * window's units count until their request lands, so a late one harms nobody:
 * it is used up to `UNIT_LATE_MAX_MS` late, and the answer is the function
 * that reports the landing. Without the binding (`env.RATE_BUDGET`; a Worker
 * configured without it) there is no budget. Takes the binding, not the env:
 * src/env.ts names this module's class (no import circle).
 */
export function budgetPermit(
  namespace: DurableObjectNamespace<RateBudget> | undefined,
  workspaceId: string,
  provider: Provider,
  timing: PermitTiming = runtimeTiming,
): ((cost?: number) => Promise<Landed | undefined>) | undefined {
  if (!namespace) return undefined;
  const budget = BUDGETS[provider];
  return async (cost = 1) => {
    const stub = namespace.get(namespace.idFromName(`${workspaceId}:${provider}`));
    for (let booking = 1; ; booking++) {
      // Timed from before the booking: the round trip to the budget counts as lateness too.
      const asked = timing.now();
      const { waitMs, units } = await stub.take(cost, budget);
      // A window's grant may have waited in the budget for a unit to land: its wait runs from the answer.
      const due = (units ? timing.now() : asked) + waitMs;
      const wait = due - timing.now();
      if (wait > 0) await timing.sleep(wait);
      const late = timing.now() - due;
      if (units) {
        // However many bookings it takes: a unit used later than this could outlive IN_FLIGHT_MAX_MS unreported.
        if (late <= UNIT_LATE_MAX_MS) return (outcome) => stub.land(units, outcome);
        await stub.land(units, "unsent");
      } else if (late <= PERMIT_LATE_MS || booking >= MAX_BOOKINGS) return undefined;
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
