import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/runtime/run-step";
import { prng, reliabilitySeed, report } from "./seeded";

const SECOND = 1000;
const CAP = 15 * 60 * SECOND;
const SEED = reliabilitySeed();

describe(`retry backoff is capped and jittered (seed ${SEED})`, () => {
  it("stays within [step/2, step] of the doubling step, capped at 15 minutes, and spreads the draws", ({ task }) => {
    const random = prng(SEED);
    const outcomes = { "within bounds": 0, "out of bounds": 0 };
    for (let attempt = 1; attempt <= 20; attempt++) {
      const step = Math.min(2 * SECOND * 2 ** (attempt - 1), CAP);
      const delays = Array.from({ length: 50 }, () => retryDelayMs(new Error("network"), attempt, random.next));
      for (const delay of delays) {
        const inside = delay >= step / 2 && delay <= step && delay <= CAP;
        outcomes[inside ? "within bounds" : "out of bounds"] += 1;
      }
      // Jittered: 50 draws at one attempt are not all the same delay.
      expect(new Set(delays).size, `attempt ${attempt}, seed ${SEED}`).toBeGreaterThan(1);
    }
    report(task, { category: "backoff: capped, jittered", cases: 1000, outcomes, lost: 0, doubled: 0 });
    expect(outcomes["out of bounds"], `seed ${SEED}`).toBe(0);
  });

  it("the jitter range ends at the step and the cap; Retry-After is still a floor", () => {
    expect(retryDelayMs(new Error("x"), 1, () => 0)).toBe(1 * SECOND);
    expect(retryDelayMs(new Error("x"), 3, () => 0.5)).toBe(6 * SECOND);
    expect(retryDelayMs(new Error("x"), 30, () => 0)).toBe(CAP / 2);
    expect(retryDelayMs(new Error("x"), 30, () => 0.999_999)).toBeLessThanOrEqual(CAP);
    expect(retryDelayMs(new Error("x (retry after 40s)"), 1, () => 0)).toBe(40 * SECOND);
    expect(retryDelayMs(new Error("x (retry after 7200s)"), 1, () => 0)).toBe(CAP);
  });
});
