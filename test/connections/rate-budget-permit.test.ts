import { describe, expect, it } from "vitest";
import { PERMIT_LATE_MS } from "../../src/connections/budgets";
import { UNIT_LATE_MAX_MS } from "../../src/connections/landing-window";
import { budgetPermit, type PermitTiming, type RateBudget } from "../../src/connections/rate-budget";

/**
 * A connection's budget whose `take` answers the given waits in turn, and a clock that moves only when the permit
 * function sleeps: each sleep ends `lateness` ms after the time asked (a busy isolate's late timer).
 */
function scripted(waits: number[], lateness: number[], units?: () => number[]) {
  const booked: string[] = [];
  const landed: [number[], string][] = [];
  let clock = 1_000_000;
  const namespace = {
    idFromName: (name: string) => name,
    get: (name: string) => ({
      take: async () => {
        booked.push(name);
        clock += 3; // the round trip to the budget
        const waitMs = waits.shift() ?? 0;
        return units ? { waitMs, units: units() } : { waitMs };
      },
      land: async (ids: number[], landing: string) => {
        landed.push([ids, landing]);
      },
    }),
  } as unknown as DurableObjectNamespace<RateBudget>;
  const timing: PermitTiming = {
    now: () => clock,
    sleep: async (ms) => {
      clock += ms + (lateness.shift() ?? 0);
    },
  };
  return { namespace, timing, booked, landed, elapsed: () => clock - 1_000_000 };
}

describe("a permit used long after its time is booked again", () => {
  it("goes at once on a permit that is on time", async () => {
    const s = scripted([2000], [PERMIT_LATE_MS - 10]);
    await budgetPermit(s.namespace, "ws", "hubspot", s.timing)?.();
    expect(s.booked).toEqual(["ws:hubspot"]);
  });

  it("books a new slot when the wait ended more than PERMIT_LATE_MS late, and goes on the new one", async () => {
    const s = scripted([2000, 400], [PERMIT_LATE_MS + 200, 0]);
    await budgetPermit(s.namespace, "ws", "notion", s.timing)?.();
    expect(s.booked).toEqual(["ws:notion", "ws:notion"]);
    // Each wait runs from before its booking (3 ms round trip): the first slot's 2000 and its lateness, then 400.
    expect(s.elapsed()).toBe(2000 + PERMIT_LATE_MS + 200 + 400);
  });

  it("counts the round trip to the budget as lateness", async () => {
    const s = scripted([], []);
    // A booking whose answer took longer than PERMIT_LATE_MS to arrive is late before any wait.
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({
        take: async () => {
          s.booked.push("slow");
          await s.timing.sleep(s.booked.length === 1 ? PERMIT_LATE_MS + 1 : 1);
          return { waitMs: 0 };
        },
      }),
    } as unknown as DurableObjectNamespace<RateBudget>;
    await budgetPermit(namespace, "ws", "stripe", s.timing)?.();
    expect(s.booked).toEqual(["slow", "slow"]);
  });

  it("goes after three bookings however late the machine is", async () => {
    const s = scripted([100, 100, 100, 100], [5000, 5000, 5000, 5000]);
    await budgetPermit(s.namespace, "ws", "google", s.timing)?.();
    expect(s.booked).toHaveLength(3);
  });
});

describe("a window's unit counts until its request lands", () => {
  it("is used however late within UNIT_LATE_MAX_MS, and its landing is reported once the request is over", async () => {
    let next = 1;
    const s = scripted([2000], [UNIT_LATE_MAX_MS - 10], () => [next++]);
    const landed = await budgetPermit(s.namespace, "ws", "hubspot", s.timing)?.();
    // Late by far more than a bucket's slot allows, but the window counts the unit until it lands: no new booking.
    expect(s.booked).toEqual(["ws:hubspot"]);
    expect(s.landed).toEqual([]);
    await landed?.("answered");
    expect(s.landed).toEqual([[[1], "answered"]]);
  });

  it("gives a grant used later than UNIT_LATE_MAX_MS back unsent and books again, so no unit outlives its bound", async () => {
    let next = 1;
    const s = scripted([10, 10, 10, 10], [UNIT_LATE_MAX_MS + 1, UNIT_LATE_MAX_MS + 1, UNIT_LATE_MAX_MS + 1, 0], () => [
      next++,
    ]);
    await budgetPermit(s.namespace, "ws", "hubspot", s.timing)?.();
    expect(s.booked).toHaveLength(4);
    expect(s.landed).toEqual([
      [[1], "unsent"],
      [[2], "unsent"],
      [[3], "unsent"],
    ]);
  });

  it("times a grant that waited in the budget for a landing from its answer, not from the booking", async () => {
    const s = scripted([], [], () => [7]);
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({
        take: async () => {
          s.booked.push("held");
          await s.timing.sleep(5000); // held in the budget until a unit in flight landed
          return { waitMs: 100, units: [7] };
        },
        land: async (ids: number[], landing: string) => s.landed.push([ids, landing]),
      }),
    } as unknown as DurableObjectNamespace<RateBudget>;
    const landed = await budgetPermit(namespace, "ws", "hubspot", s.timing)?.();
    expect(s.booked).toEqual(["held"]);
    expect(s.elapsed()).toBe(5100);
    expect(landed).toBeTypeOf("function");
  });
});
