import { phaseOfRow } from "./journey-times";
import type { FailureFigure, StepRow, WaitFigure } from "./rows";
import { share, summarize } from "./stats";

/** How many steps the rankings show. */
export const RANKED = 10;

const byStep = (steps: StepRow[]) => {
  const groups = new Map<string, StepRow[]>();
  for (const step of steps) {
    if (phaseOfRow(step.name) === null) continue;
    groups.set(step.name, [...(groups.get(step.name) ?? []), step]);
  }
  return groups;
};

/** The steps where journeys wait longest: by median time from opening to finishing, longest first. */
export function waitFigures(steps: StepRow[], limit = RANKED): WaitFigure[] {
  const figures: WaitFigure[] = [];
  for (const [step, rows] of byStep(steps)) {
    const values = rows
      .filter((r) => r.finishedAt !== null && !r.skipped)
      .map((r) => Date.parse(r.finishedAt ?? "") - Date.parse(r.startedAt));
    const summary = summarize(values);
    if (summary) figures.push({ step, ...summary });
  }
  figures.sort((a, b) => b.medianMs - a.medianMs || b.p90Ms - a.p90Ms || a.step.localeCompare(b.step));
  return figures.slice(0, limit);
}

/** The steps that fail most: by the share of rows failed now, then of rows retried; only steps with either. */
export function failureFigures(steps: StepRow[], limit = RANKED): FailureFigure[] {
  const figures: FailureFigure[] = [];
  for (const [step, rows] of byStep(steps)) {
    const failed = rows.filter((r) => r.status === "failed").length;
    const retried = rows.filter((r) => r.attempts > 1).length;
    if (failed + retried === 0) continue;
    figures.push({
      step,
      rows: rows.length,
      failed,
      retried,
      failedRate: share(failed, rows.length),
      retriedRate: share(retried, rows.length),
    });
  }
  figures.sort(
    (a, b) =>
      b.failedRate - a.failedRate || b.retriedRate - a.retriedRate || b.rows - a.rows || a.step.localeCompare(b.step),
  );
  return figures.slice(0, limit);
}
