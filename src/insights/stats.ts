/** Count, median and upper percentiles of a set of durations (milliseconds). */
export interface Summary {
  count: number;
  medianMs: number;
  p75Ms: number;
  p90Ms: number;
}

/**
 * The nearest-rank percentile: the smallest stored value with at least p% of
 * the values at or below it, i.e. the value at rank ⌈p/100 × n⌉ of the sorted
 * values. It is always one of the measured values (never interpolated), so a
 * figure can be traced to the journey it came from. For an even count the
 * median is the lower of the two middle values.
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("no values");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** The summary of some durations, or null when there are none. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: nearestRank(sorted, 50),
    p75Ms: nearestRank(sorted, 75),
    p90Ms: nearestRank(sorted, 90),
  };
}

/** The calendar month (UTC) of an ISO time, `YYYY-MM`. */
export const monthOf = (iso: string) => new Date(iso).toISOString().slice(0, 7);

/** Milliseconds from one ISO time to another, or null when either is missing. */
export function between(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Date.parse(to) - Date.parse(from);
}

/** A share as a number from 0 to 1, rounded to four places (0 when there is nothing to divide). */
export const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000);
