import type { TaskMeta } from "vitest";

/** The figures one reliability test reports (read by scripts/report-reliability.mjs from the JSON reporter). */
export interface ReliabilityFigures {
  category: string;
  cases: number;
  outcomes: Record<string, number>;
  /** Side effects that should have happened and did not. */
  lost: number;
  /** Side effects that happened more than once. */
  doubled: number;
}

declare global {
  /** What Vite puts in `import.meta.env` for the tests (its `VITE_` variables among them). */
  interface ImportMeta {
    readonly env: Record<string, unknown>;
  }
}

declare module "vitest" {
  interface TaskMeta {
    reliability?: ReliabilityFigures;
  }
}

/** Puts a test's figures in its task meta, where the JSON reporter carries them out of workerd. */
export function report(task: { meta: TaskMeta }, figures: ReliabilityFigures) {
  task.meta.reliability = figures;
}

/**
 * The seed of this run: `VITE_RELIABILITY_SEED` when set (to replay a
 * failure: `VITE_RELIABILITY_SEED=123 npx vitest run test/reliability`), else
 * a fixed one. Vite hands `VITE_`-prefixed variables to workerd as
 * `import.meta.env`; the host's other variables do not reach it. Tests print
 * the seed in their names and failure messages.
 */
export function reliabilitySeed(): number {
  // Written out as `import.meta.env.X`: Vite replaces that exact text when it transforms the file.
  const given: unknown = import.meta.env.VITE_RELIABILITY_SEED;
  const parsed = typeof given === "string" ? Number.parseInt(given, 10) : Number.NaN;
  return Number.isFinite(parsed) ? parsed >>> 0 : 20261130;
}

/** mulberry32: a small seeded PRNG giving numbers in [0, 1); the same seed gives the same run. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer in [min, max]. */
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  /** A shuffled copy (Fisher–Yates). */
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  return { next, int, shuffle };
}

/** Tallies outcome names. */
export function tally(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
