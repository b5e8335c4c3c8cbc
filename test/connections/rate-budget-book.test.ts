import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RateLimit } from "../../emulators/rate-limit";
import { gmailLimit, hubspotLimit, notionLimit, stripeLimit } from "../../emulators/rate-limit-specs";
import { BUDGETS, type BucketState, book, hold } from "../../src/connections/budgets";

/** Books `n` callers arriving at the given times (ms); answers when each may send. */
function permits(arrivals: number[], rate: number, burst: number): number[] {
  let state: BucketState | undefined;
  return arrivals.map((now) => {
    const booked = book(state, now, 1, rate, burst);
    state = booked.state;
    return now + booked.waitMs;
  });
}

describe("the rate budget's bucket (book)", () => {
  it("lets the burst through at once, then spaces callers 1/rate apart in arrival order", () => {
    const sent = permits(Array(7).fill(0), 3, 4);
    expect(sent).toEqual([0, 0, 0, 0, 334, 667, 1000]);
  });

  it("refills between bookings up to the burst only, and counts a debt left by earlier reservations", () => {
    let { state } = book(undefined, 0, 4, 3, 4);
    expect(state.tokens).toBe(0);
    // Ten seconds idle refill 30 units, but the bucket holds 4.
    ({ state } = book(state, 10_000, 1, 3, 4));
    expect(state.tokens).toBe(3);
    // A reservation: 4 booked with 3 in the bucket leave a debt of 1, paid off at 3/s.
    const debt = book(state, 10_000, 4, 3, 4);
    expect(debt).toEqual({ state: { tokens: -1, at: 10_000 }, waitMs: 334 });
    expect(book(debt.state, 10_500, 1, 3, 4).waitMs).toBe(167);
  });

  it("books a cost above the burst as the whole burst (it could never be met otherwise)", () => {
    expect(book(undefined, 0, 500, 250, 250)).toEqual({ state: { tokens: 0, at: 0 }, waitMs: 0 });
  });

  it("spends each bucket at the documented average (no margin that only lengthens a drain), and HubSpot's window as documented", () => {
    expect(BUDGETS.notion.rate).toBe(notionLimit.rate);
    expect(BUDGETS.stripe.rate).toBe(stripeLimit.rate);
    expect(BUDGETS.google.rate).toBe(gmailLimit.rate);
    // HubSpot's limit is a 10-second rolling window, kept as it is (each unit counts until its request landed:
    // landing-window.test.ts), paced by a bucket at the window's average with a small burst.
    const window = { limit: hubspotLimit.burst, ms: hubspotLimit.windowMs };
    expect(BUDGETS.hubspot).toEqual({ counted: window, rate: (window.limit * 1000) / (window.ms ?? 0), burst: 10 });
  });
});

describe("HubSpot's emulated limit (a rolling window)", () => {
  it("refuses the 101st request of any 10 s until its oldest leaves the window, with Retry-After in whole seconds", () => {
    const limiter = new RateLimit(hubspotLimit);
    limiter.enable();
    for (let i = 0; i < 50; i++) expect(limiter.take("portal", 1, 0)).toBe(0);
    for (let i = 0; i < 50; i++) expect(limiter.take("portal", 1, 5_000)).toBe(0);
    expect(limiter.take("portal", 1, 9_999)).toBe(1);
    // At 10 s the first 50 have left: 50 more fit, the 51st waits until 15 s.
    for (let i = 0; i < 50; i++) expect(limiter.take("portal", 1, 10_000)).toBe(0);
    expect(limiter.take("portal", 1, 10_000)).toBe(5);
    expect(limiter.take("other portal", 1, 10_000)).toBe(0);
    expect({ granted: limiter.granted, refused: limiter.refused }).toEqual({ granted: 151, refused: 2 });
  });
});

describe("a 429's Retry-After on the bucket (hold)", () => {
  it("grants no permit before the Retry-After has passed, then spaces callers at the rate", () => {
    // Notion's budget (3/s, burst 4), full, held 2 s at t=0: it owes 6 units.
    const held = hold(undefined, 0, 2000, 3, 4);
    expect(held).toEqual({ tokens: -6, at: 0 });
    // A caller at t=0 waits for 7 units: 2334 ms; one at t=2000 (debt paid) waits for its own unit only.
    expect(book(held, 0, 1, 3, 4).waitMs).toBe(2334);
    expect(book(held, 2000, 1, 3, 4).waitMs).toBe(334);
    // Callers queue behind the hold in arrival order.
    const first = book(held, 0, 1, 3, 4);
    expect(book(first.state, 0, 1, 3, 4).waitMs).toBe(2667);
  });

  it("keeps a deeper debt: several 429s of one moment do not add up", () => {
    const owing: BucketState = { tokens: -10, at: 0 };
    expect(hold(owing, 0, 1000, 3, 4)).toEqual({ tokens: -10, at: 0 });
    // A later, longer Retry-After deepens it to its own length, not the sum.
    expect(hold(owing, 0, 5000, 3, 4)).toEqual({ tokens: -15, at: 0 });
  });
});

describe("the RateBudget Durable Object", () => {
  it("hands one connection's callers the burst, then waits that grow in arrival order", async () => {
    const namespace = env.RATE_BUDGET;
    if (!namespace) throw new Error("the test Worker binds RATE_BUDGET");
    const budget = namespace.get(namespace.idFromName("ws-rate-book:notion"));
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const permit = await budget.take(1, BUDGETS.notion);
      waits.push(permit.waitMs);
      // Answered at once: the cap on units in flight (5) never holds these callers.
      await budget.land(permit.units, "answered");
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    for (let i = 5; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? 0);
    // Another connection's budget is its own.
    const other = namespace.get(namespace.idFromName("ws-rate-book-2:notion"));
    expect(await other.take(1, BUDGETS.notion)).toMatchObject({ waitMs: 0 });
  });

  it("holds Notion's sixth caller while five requests are in flight, and grants it when one lands", async () => {
    const namespace = env.RATE_BUDGET;
    if (!namespace) throw new Error("the test Worker binds RATE_BUDGET");
    const budget = namespace.get(namespace.idFromName("ws-rate-book:notion-cap"));
    const inFlight = [];
    for (let i = 0; i < BUDGETS.notion.counted.limit; i++) inFlight.push(await budget.take(1, BUDGETS.notion));
    let sixth: { waitMs: number; units: number[] } | undefined;
    const waiting = budget.take(1, BUDGETS.notion).then((permit) => {
      sixth = permit;
      return permit;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sixth).toBeUndefined();
    await budget.land(inFlight[0]?.units ?? [], "answered");
    const granted = await waiting;
    expect(granted.units).toHaveLength(1);
    // The bucket still paces it: its slot is the sixth's (4 at once, then 1/3 s apart), counted from its grant.
    expect(granted.waitMs).toBeLessThanOrEqual(667);
  });

  it("holds a caller of a full window until a unit in flight lands, then grants it a window after that landing", async () => {
    const namespace = env.RATE_BUDGET;
    if (!namespace) throw new Error("the test Worker binds RATE_BUDGET");
    const budget = namespace.get(namespace.idFromName("ws-rate-book:window"));
    const window = { rate: 100, burst: 100, counted: { limit: 2, ms: 300 } };
    const first = await budget.take(1, window);
    const second = await budget.take(1, window);
    expect([first.waitMs, second.waitMs]).toEqual([0, 0]);
    let third: { waitMs: number; units: number[] } | undefined;
    const waiting = budget.take(1, window).then((permit) => {
      third = permit;
      return permit;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Both units are in flight: nothing is known of when they reached the provider, so the third caller waits.
    expect(third).toBeUndefined();
    const landedAt = Date.now();
    await budget.land(second.units, "answered");
    const granted = await waiting;
    expect(granted.units).toHaveLength(1);
    // A window from the landing, as the budget saw it (a little after `landedAt`).
    expect(granted.waitMs).toBeGreaterThan(300 - (Date.now() - landedAt) - 1);
    expect(granted.waitMs).toBeLessThanOrEqual(300);
  });
});
