import { describe, expect, it } from "vitest";
import { RateLimit } from "../../emulators/rate-limit";
import { hubspotLimit } from "../../emulators/rate-limit-specs";
import { BUDGETS } from "../../src/connections/budgets";
import {
  grantWindow,
  holdLandingWindow,
  IN_FLIGHT_MAX_MS,
  type LandingWindowState,
  landUnits,
  UNANSWERED_MS,
} from "../../src/connections/landing-window";
import { prng } from "../reliability/seeded";

const SEED = 1313;

/** Grants one unit of a window of 3 in any 1000 ms at `now`; throws when blocked. */
function grantAt(state: LandingWindowState | undefined, now: number) {
  const granted = grantWindow(state, now, now, 1, 3, 1000);
  if ("blocked" in granted) throw new Error(`blocked at ${now}`);
  return granted;
}

/**
 * Runs `count` requests, all wanting to go at 0, through HubSpot's budget: each leaves `leave()` ms after its grant
 * (a busy isolate), reaches HubSpot `transit()` ms later and is answered `answer()` ms after that, when its landing
 * is reported. Answers when each request reached HubSpot.
 */
function simulate(count: number, leave: () => number, transit: () => number, answer: () => number) {
  const { limit, ms } = BUDGETS.hubspot.counted;
  let state: LandingWindowState | undefined;
  let now = 0;
  const landings: { at: number; ids: number[] }[] = [];
  const arrivals: number[] = [];
  while (arrivals.length < count) {
    const granted = grantWindow(state, now, now, 1, limit, ms);
    if ("blocked" in granted) {
      // Nothing fits before a request in flight lands: time moves to the next landing.
      landings.sort((a, b) => a.at - b.at);
      const next = landings.shift();
      if (!next) throw new Error("blocked with nothing in flight");
      now = Math.max(now, next.at);
      state = landUnits(state, next.ids, now, "answered");
      continue;
    }
    state = granted.state;
    const arrival = granted.at + leave() + transit();
    arrivals.push(arrival);
    landings.push({ at: arrival + answer(), ids: granted.ids });
  }
  return arrivals;
}

/** How many requests at these times (ms) the emulator's HubSpot limiter refuses (its rolling window). */
function refusedByHubspot(times: number[]): number {
  const limiter = new RateLimit(hubspotLimit);
  limiter.enable();
  for (const t of [...times].sort((a, b) => a - b)) limiter.take("portal", 1, t);
  return limiter.refused;
}

describe("a rolling window counted until each request lands (grantWindow)", () => {
  it("grants the whole limit at once, then each unit `windowMs` after a unit landed, in arrival order", () => {
    let state = grantAt(undefined, 0).state;
    state = grantAt(state, 0).state;
    const third = grantAt(state, 0);
    state = third.state;
    // The fourth must wait for one of the three to land: nothing is known of their arrival before that.
    expect(grantWindow(state, 100, 100, 1, 3, 1000)).toEqual({ blocked: true, until: IN_FLIGHT_MAX_MS });
    state = landUnits(state, third.ids, 250, "answered") as LandingWindowState;
    const fourth = grantAt(state, 300);
    // 1000 ms after the landing, not after the grant: the window counts the request as long as it took.
    expect(fourth.at).toBe(1250);
    // Later callers queue behind it even when a unit leaves earlier.
    const landed = landUnits(fourth.state, [1], 300, "answered") as LandingWindowState;
    expect(grantAt(landed, 400).at).toBe(1300);
  });

  it("counts a request that failed without an answer a little longer: its bytes may still be on their way", () => {
    const granted = grantAt(grantAt(grantAt(undefined, 0).state, 0).state, 0);
    const landed = landUnits(granted.state, granted.ids, 500, "unanswered") as LandingWindowState;
    expect(grantAt(landed, 600).at).toBe(500 + UNANSWERED_MS + 1000);
    // A grant given up before its request left frees its unit from then.
    const unsent = landUnits(granted.state, granted.ids, 500, "unsent") as LandingWindowState;
    expect(grantAt(unsent, 600).at).toBe(1500);
  });

  it("deems a unit whose landing is never reported over IN_FLIGHT_MAX_MS after its grant", () => {
    const state = grantAt(grantAt(grantAt(undefined, 0).state, 0).state, 0).state;
    expect(grantWindow(state, IN_FLIGHT_MAX_MS - 1, IN_FLIGHT_MAX_MS - 1, 1, 3, 1000)).toMatchObject({ blocked: true });
    expect(grantAt(state, IN_FLIGHT_MAX_MS).at).toBe(IN_FLIGHT_MAX_MS + 1000);
  });

  it("grants nothing before a 429's Retry-After, and a longer one of the same moment wins", () => {
    const held = holdLandingWindow(holdLandingWindow(undefined, 0, 2000), 0, 1000);
    expect(held.notBefore).toBe(2000);
    expect(grantAt(held, 0).at).toBe(2000);
    expect(grantAt(held, 2500).at).toBe(2500);
  });

  it("books a cost above the limit as the whole limit, and keeps only the units that may still count", () => {
    const granted = grantWindow(undefined, 0, 0, 500, 100, 10_000);
    expect(granted).toMatchObject({ at: 0 });
    if ("blocked" in granted) throw new Error("blocked");
    expect(granted.ids).toHaveLength(100);
    const landed = landUnits(granted.state, granted.ids, 50, "answered");
    expect(grantAt(landed, 10_050).state.units).toHaveLength(1);
  });

  it("keeps HubSpot's 100 in any 10 s however late requests leave and arrive: up to 3 s, three times the old margin", () => {
    const random = prng(SEED).next;
    const arrivals = simulate(
      800,
      () => Math.floor(random() * 2500),
      () => Math.floor(random() * 500),
      () => Math.floor(random() * 300),
    );
    expect(refusedByHubspot(arrivals), `seed ${SEED}`).toBe(0);
  });

  it("adds nothing to HubSpot's window but the requests' own time: 800 requests answered in 40 ms drain in 70.3 s", () => {
    const arrivals = simulate(
      800,
      () => 0,
      () => 20,
      () => 20,
    );
    expect(refusedByHubspot(arrivals)).toBe(0);
    // Seven windows after the first 100, each 10 s plus the 40 ms its requests took: the documented minimum is 70 s.
    expect(Math.max(...arrivals)).toBe(7 * (10_000 + 40) + 20);
  });
});
