import { INSIGHT_PHASES, INTERVALS } from "./definitions";
import type { Insights } from "./rows";

/** The tables the CSV export offers, one per figure list of the JSON. */
export const CSV_TABLES = ["durations", "clients", "waits", "failures", "conversion", "money", "nps"] as const;

export type CsvTable = (typeof CSV_TABLES)[number];

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula sign is neutralised. */
function field(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  // A spreadsheet runs a cell that starts with = + - @ as a formula: a client name must stay text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const lines = (rows: (string | number | null)[][]) => `${rows.map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;

/** One table of the insights as CSV (RFC 4180, CRLF), with the same names and values as the JSON. */
export function insightsCsv(insights: Insights, table: CsvTable): string {
  switch (table) {
    case "durations":
      return lines([
        ["month", "template", "kind", "id", "label", "count", "medianMs", "p75Ms", "p90Ms"],
        ...insights.durations.map((d) => [
          d.month,
          d.template,
          d.kind,
          d.id,
          d.label,
          d.count,
          d.medianMs,
          d.p75Ms,
          d.p90Ms,
        ]),
      ]);
    case "clients":
      return lines([
        [
          "journeyId",
          "clientName",
          "month",
          "template",
          "status",
          ...INTERVALS.map((i) => `interval:${i.id}`),
          ...INSIGHT_PHASES.map((p) => `phase:${p.id}`),
        ],
        ...insights.clients.map((c) => [
          c.journeyId,
          c.clientName,
          c.month,
          c.template,
          c.status,
          ...INTERVALS.map((i) => c.intervals[i.id] ?? null),
          ...INSIGHT_PHASES.map((p) => c.phases[p.id] ?? null),
        ]),
      ]);
    case "waits":
      return lines([
        ["step", "count", "medianMs", "p75Ms", "p90Ms"],
        ...insights.waits.map((w) => [w.step, w.count, w.medianMs, w.p75Ms, w.p90Ms]),
      ]);
    case "failures":
      return lines([
        ["step", "rows", "failed", "retried", "failedRate", "retriedRate"],
        ...insights.failures.map((f) => [f.step, f.rows, f.failed, f.retried, f.failedRate, f.retriedRate]),
      ]);
    case "conversion":
      return lines([
        ["source", "leads", "won", "rate"],
        ...insights.conversion.map((c) => [c.source, c.leads, c.won, c.rate]),
      ]);
    case "money":
      return lines([
        ["currency", "unpaidCount", "unpaidAmount", "overdueCount", "overdueAmount"],
        ...insights.money.map((m) => [m.currency, m.unpaidCount, m.unpaidAmount, m.overdueCount, m.overdueAmount]),
      ]);
    case "nps":
      return lines([
        ["month", "answers", "promoters", "passives", "detractors", "nps", "averageScore"],
        ...insights.nps.map((n) => [n.month, n.answers, n.promoters, n.passives, n.detractors, n.nps, n.averageScore]),
      ]);
  }
}
