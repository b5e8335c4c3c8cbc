import type { TaskMeta } from "vitest";
import type { ReliabilityFigures } from "./seeded";

/** Tallies answers by status class ("2xx", "3xx", "4xx", "5xx") for {@link ReliabilityFigures}. */
export class OutcomeTally {
  readonly outcomes: Record<string, number> = {};
  cases = 0;

  add(status: number): void {
    const key = `${Math.floor(status / 100)}xx`;
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
    this.cases++;
  }

  /** Writes the figures into the test's meta; `lost` and `doubled` are what the test measured (0 when it passed). */
  record(task: { meta: TaskMeta }, category: string, measured: { lost?: number; doubled?: number } = {}): void {
    task.meta.reliability = {
      category,
      cases: this.cases,
      outcomes: { ...this.outcomes },
      lost: measured.lost ?? 0,
      doubled: measured.doubled ?? 0,
    };
  }
}
