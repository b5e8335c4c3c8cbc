import type { RequestOutcome } from "../../integrations/core/context";

/**
 * A rolling window (at most `limit` units in any `windowMs` at the provider)
 * kept by counting each unit from its grant until `windowMs` after its
 * request landed: answered, or failed. The provider counts a request when it
 * arrives, some time between its grant and its answer, however long the
 * request took to leave a busy isolate or to cross the network. A unit granted
 * only when fewer than `limit` granted units can still be in the provider's
 * window keeps that window for any delay on the way: among `limit + 1`
 * requests arriving within `windowMs`, the last one granted was granted after
 * the others, and before its own arrival, so less than `windowMs` after each
 * of their arrivals, so while each still counted here. No margin is added to
 * the provider's window: a unit counts as long as its request actually took.
 * With `windowMs` 0 the same count caps the units in flight (from grant to
 * landing): what keeps a provider's token bucket (budgets.ts, `Budget`).
 */

/** One granted unit: `at` its grant (epoch ms, possibly ahead of now); `landed` once its request is over. */
export interface WindowUnit {
  id: number;
  at: number;
  landed?: number;
}

/** The units that may still count, in grant order; no grant before `notBefore` (a 429's Retry-After). */
export interface LandingWindowState {
  units: WindowUnit[];
  notBefore: number;
  nextId: number;
}

/**
 * How long after its grant a unit whose landing was never reported (its isolate died mid-request) is taken to have
 * landed: the permit function uses a grant at most `UNIT_LATE_MAX_MS` late, and every provider request is aborted
 * 60 s after it leaves (`REQUEST_TIMEOUT_MS`, integrations/core/http.ts), so by then the request is over.
 */
export const UNIT_LATE_MAX_MS = 30_000;
export const IN_FLIGHT_MAX_MS = UNIT_LATE_MAX_MS + 60_000 + 30_000;

/** How a permitted request ended, for `landUnits`: as its client reports it, or never sent (its grant came too late). */
export type Landing = RequestOutcome | "unsent";

/**
 * After a request that failed without an answer (a timeout, a dropped connection) its bytes may still be on their
 * way to the provider: it counts as landed this much later.
 */
export const UNANSWERED_MS = 1000;

/** When `unit` stops counting: `windowMs` after it landed, or after it is deemed over; undefined while in flight. */
function leavesAt(unit: WindowUnit, now: number, windowMs: number): number | undefined {
  if (unit.landed !== undefined) return unit.landed + windowMs;
  const deemed = unit.at + IN_FLIGHT_MAX_MS;
  return now >= deemed ? deemed + windowMs : undefined;
}

export type WindowGrant =
  | { state: LandingWindowState; at: number; ids: number[] }
  /** Every unit that could make room is still in flight: nothing is granted before one lands, or `until`. */
  | { blocked: true; until: number };

/**
 * Grants `cost` units (at most `limit`) at the earliest time from `from` (and never before the last unit granted:
 * callers go in arrival order) at which fewer than `limit` units count; the state is unchanged when blocked.
 */
export function grantWindow(
  state: LandingWindowState | undefined,
  now: number,
  from: number,
  cost: number,
  limit: number,
  windowMs: number,
): WindowGrant {
  const current = state ?? { units: [], notBefore: 0, nextId: 1 };
  const units = current.units.filter((unit) => (leavesAt(unit, now, windowMs) ?? Number.POSITIVE_INFINITY) > now);
  let at = Math.max(from, current.notBefore, units.at(-1)?.at ?? 0);
  let nextId = current.nextId;
  const ids: number[] = [];
  // When each unit stops counting, in order; a unit granted here is in flight, so it goes last.
  const leaving = units.map((u) => leavesAt(u, now, windowMs) ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  for (let unit = 0; unit < Math.min(cost, limit); unit++) {
    // The unit `limit` places from the end must have left for this one to fit.
    const room = leaving.length < limit ? undefined : leaving[leaving.length - limit];
    if (room === Number.POSITIVE_INFINITY) {
      const inFlight = units.filter((u) => u.landed === undefined).map((u) => u.at + IN_FLIGHT_MAX_MS);
      return { blocked: true, until: Math.min(...inFlight) };
    }
    if (room !== undefined) at = Math.max(at, room);
    units.push({ id: nextId, at });
    leaving.push(Number.POSITIVE_INFINITY);
    ids.push(nextId);
    nextId += 1;
  }
  return { state: { units, notBefore: current.notBefore, nextId }, at, ids };
}

/** The requests of units `ids` ended at `now` as `landing` says: each counts until `windowMs` from then. */
export function landUnits(
  state: LandingWindowState | undefined,
  ids: readonly number[],
  now: number,
  landing: Landing,
): LandingWindowState | undefined {
  if (!state) return state;
  const landed = landing === "unanswered" ? now + UNANSWERED_MS : now;
  return {
    ...state,
    units: state.units.map((unit) => (ids.includes(unit.id) && unit.landed === undefined ? { ...unit, landed } : unit)),
  };
}

/** The provider answered 429 with Retry-After `retryAfterMs` at `now`: no unit of the window before then. */
export function holdLandingWindow(
  state: LandingWindowState | undefined,
  now: number,
  retryAfterMs: number,
): LandingWindowState {
  const current = state ?? { units: [], notBefore: 0, nextId: 1 };
  return { ...current, notBefore: Math.max(current.notBefore, now + Math.max(0, retryAfterMs)) };
}
