import { clientFigures, durationFigures, templateLabel } from "./journey-times";
import { conversionFigures, moneyFigures, npsFigures } from "./money-figures";
import type { InsightQuery, InsightRows, Insights } from "./rows";
import { failureFigures, waitFigures } from "./step-figures";

/** The ISO time range a query covers: from its first day's start to the end of its last day. */
export function rangeBounds(query: Pick<InsightQuery, "from" | "to">): { start: string; end: string } {
  const end = new Date(`${query.to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start: `${query.from}T00:00:00.000Z`, end: end.toISOString() };
}

const inRange = (at: string, bounds: { start: string; end: string }) => at >= bounds.start && at < bounds.end;

/**
 * Every figure of the insights page and API, from the stored rows of one
 * workspace: pure, so each figure can be checked against rows with known
 * times. `asOf` (YYYY-MM-DD) is the day overdue is judged on.
 */
export function computeInsights(rows: InsightRows, query: InsightQuery, asOf: string): Insights {
  const bounds = rangeBounds(query);
  const inRangeJourneys = rows.journeys.filter((j) => inRange(j.createdAt, bounds));
  const versions = new Map<string, { templateId: string; templateVersion: number; label: string }>();
  for (const journey of inRangeJourneys) {
    if (journey.templateVersion === null) continue;
    const templateId = journey.templateId ?? "default";
    versions.set(templateLabel(journey), {
      templateId,
      templateVersion: journey.templateVersion,
      label: templateLabel(journey),
    });
  }
  const journeys = inRangeJourneys.filter(
    (j) =>
      (query.templateId === undefined || (j.templateId ?? "default") === query.templateId) &&
      (query.templateVersion === undefined || j.templateVersion === query.templateVersion),
  );
  const ids = new Set(journeys.map((j) => j.id));
  const steps = rows.steps.filter((s) => ids.has(s.journeyId));
  const clients = clientFigures(journeys, steps, rows.surveys);
  const filtered = query.templateId !== undefined || query.templateVersion !== undefined;
  return {
    range: { from: query.from, to: query.to },
    template: { templateId: query.templateId ?? null, templateVersion: query.templateVersion ?? null },
    templates: [...versions.values()].sort((a, b) => a.label.localeCompare(b.label)),
    journeys: journeys.length,
    durations: durationFigures(clients),
    clients: clients.sort((a, b) => b.month.localeCompare(a.month) || a.journeyId.localeCompare(b.journeyId)),
    waits: waitFigures(steps),
    failures: failureFigures(steps),
    // Leads have no template yet: conversion covers every lead of the range.
    conversion: conversionFigures(rows.leads.filter((l) => inRange(l.createdAt, bounds))),
    money: moneyFigures(
      rows.invoices.filter((i) => !filtered || ids.has(i.journeyId)),
      asOf,
    ),
    nps: npsFigures(rows.surveys.filter((s) => inRange(s.answeredAt, bounds) && (!filtered || ids.has(s.journeyId)))),
  };
}
