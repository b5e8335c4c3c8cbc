import { describe, expect, it } from "vitest";
import { PERMIT_LATE_MS } from "../../src/connections/budgets";
import { budgetPermit, type PermitTiming, type RateBudget } from "../../src/connections/rate-budget";

/**
 * A connection's budget whose `take` answers the given waits in turn, and a clock that moves only when the permit
 * function sleeps: each sleep ends `lateness` ms after the time asked (a busy isolate's late timer).
 */
function scripted(waits: number[], lateness: number[]) {
  const booked: string[] = [];
  let clock = 1_000_000;
  const namespace = {
    idFromName: (name: string) => name,
    get: (name: string) => ({
      take: async () => {
        booked.push(name);
        clock += 3; // the round trip to the budget
        return waits.shift() ?? 0;
      },
    }),
  } as unknown as DurableObjectNamespace<RateBudget>;
  const timing: PermitTiming = {
    now: () => clock,
    sleep: async (ms) => {
      clock += ms + (lateness.shift() ?? 0);
    },
  };
  return { namespace, timing, booked, elapsed: () => clock - 1_000_000 };
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
          return 0;
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
