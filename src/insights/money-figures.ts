import type { ConversionFigure, InvoiceRow, LeadRow, MoneyFigure, NpsFigure, SurveyRow } from "./rows";
import { monthOf, share } from "./stats";

/** The lead sources, always listed (a source with no leads shows zero). */
export const LEAD_SOURCES = ["form", "hubspot"] as const;

/** Lead → won conversion per source. */
export function conversionFigures(leads: LeadRow[]): ConversionFigure[] {
  const sources = [...new Set<string>([...LEAD_SOURCES, ...leads.map((l) => l.source)])];
  return sources.map((source) => {
    const own = leads.filter((l) => l.source === source);
    const won = own.filter((l) => l.wonAt !== null).length;
    return { source, leads: own.length, won, rate: share(won, own.length) };
  });
}

/** Unpaid and overdue totals per currency, as of a day (YYYY-MM-DD): overdue is due before that day and unpaid. */
export function moneyFigures(invoices: InvoiceRow[], asOf: string): MoneyFigure[] {
  const totals = new Map<string, MoneyFigure>();
  for (const invoice of invoices) {
    // Cancelling a journey voids its invoices; an invoice without a stored amount cannot be totalled.
    if (invoice.paid || invoice.journeyStatus === "cancelled") continue;
    if (invoice.amountDue === null || !invoice.currency) continue;
    const currency = invoice.currency.toLowerCase();
    const total = totals.get(currency) ?? {
      currency,
      unpaidCount: 0,
      unpaidAmount: 0,
      overdueCount: 0,
      overdueAmount: 0,
    };
    total.unpaidCount += 1;
    total.unpaidAmount += invoice.amountDue;
    if (invoice.dueDate !== null && invoice.dueDate < asOf) {
      total.overdueCount += 1;
      total.overdueAmount += invoice.amountDue;
    }
    totals.set(currency, total);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** NPS and the average score per month of the answer (the survey's question is 0–10). */
export function npsFigures(surveys: SurveyRow[]): NpsFigure[] {
  const months = new Map<string, number[]>();
  for (const survey of surveys) {
    const month = monthOf(survey.answeredAt);
    months.set(month, [...(months.get(month) ?? []), survey.score]);
  }
  return [...months.keys()].sort().map((month) => {
    const scores = months.get(month) ?? [];
    const promoters = scores.filter((s) => s >= 9).length;
    const detractors = scores.filter((s) => s <= 6).length;
    const answers = scores.length;
    return {
      month,
      answers,
      promoters,
      passives: answers - promoters - detractors,
      detractors,
      nps: Math.round(((promoters - detractors) / answers) * 1000) / 10,
      averageScore: Math.round((scores.reduce((sum, s) => sum + s, 0) / answers) * 100) / 100,
    };
  });
}
