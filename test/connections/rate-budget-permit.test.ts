import { describe, expect, it } from "vitest";
import { UNIT_LATE_MAX_MS } from "../../src/connections/landing-window";
import { budgetPermit, type PermitTiming, type RateBudget } from "../../src/connections/rate-budget";

/**
 * A connection's budget whose `take` answers the given waits in turn, and a clock that moves only when the permit
 * function sleeps: each sleep ends `lateness` ms after the time asked (a busy isolate's late timer).
 */
function scripted(waits: number[], lateness: number[]) {
  let nextUnit = 1;
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
        return { waitMs, units: [nextUnit++] };
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

describe("a unit counts until its request lands", () => {
  it("is used however late within UNIT_LATE_MAX_MS, and its landing is reported once the request is over", async () => {
    // HubSpot's window and Notion's bucket alike: a unit counts until it lands, so a late one is no harm.
    for (const provider of ["hubspot", "notion"] as const) {
      const s = scripted([2000], [UNIT_LATE_MAX_MS - 10]);
      const landed = await budgetPermit(s.namespace, "ws", provider, s.timing)?.();
      expect(s.booked).toEqual([`ws:${provider}`]);
      expect(s.landed).toEqual([]);
      await landed?.("answered");
      expect(s.landed).toEqual([[[1], "answered"]]);
    }
  });

  it("gives a grant used later than UNIT_LATE_MAX_MS back unsent and books again, so no unit outlives its bound", async () => {
    const s = scripted([10, 10, 10, 10], [UNIT_LATE_MAX_MS + 1, UNIT_LATE_MAX_MS + 1, UNIT_LATE_MAX_MS + 1, 0]);
    await budgetPermit(s.namespace, "ws", "hubspot", s.timing)?.();
    expect(s.booked).toHaveLength(4);
    expect(s.landed).toEqual([
      [[1], "unsent"],
      [[2], "unsent"],
      [[3], "unsent"],
    ]);
  });

  it("times a grant that waited in the budget for a landing from its answer, not from the booking", async () => {
    const s = scripted([], []);
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
