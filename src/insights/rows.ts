/*
 * The figures computed (src/insights/compute.ts) from the stored rows
 * (their types are in src/store/insight-rows.ts, beside their queries).
 */

export type { InsightRows, InvoiceRow, JourneyRow, LeadRow, StepRow, SurveyRow } from "../store/insight-rows";

/** The range and template filter the figures cover. */
export interface InsightQuery {
  /** First day, YYYY-MM-DD (inclusive). */
  from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  to: string;
  templateId?: string;
  templateVersion?: number;
}

/** One duration summary: a phase or an interval, for a month and template version. */
export interface DurationFigure {
  month: string;
  template: string;
  kind: "phase" | "interval";
  id: string;
  label: string;
  count: number;
  medianMs: number;
  p75Ms: number;
  p90Ms: number;
}

/** One client's (journey's) own times. */
export interface ClientFigure {
  journeyId: string;
  clientName: string | null;
  month: string;
  template: string;
  status: string;
  /** Milliseconds per interval id; null when the journey has not reached both ends. */
  intervals: Record<string, number | null>;
  /** Milliseconds per phase id; null when the phase is not done. */
  phases: Record<string, number | null>;
}

/** A step's waiting time across journeys. */
export interface WaitFigure {
  step: string;
  count: number;
  medianMs: number;
  p75Ms: number;
  p90Ms: number;
}

/** How often a step failed or was retried. */
export interface FailureFigure {
  step: string;
  rows: number;
  failed: number;
  retried: number;
  failedRate: number;
  retriedRate: number;
}

/** Leads to won deals, per source. */
export interface ConversionFigure {
  source: string;
  leads: number;
  won: number;
  rate: number;
}

/** Unpaid and overdue totals in one currency (minor units). */
export interface MoneyFigure {
  currency: string;
  unpaidCount: number;
  unpaidAmount: number;
  overdueCount: number;
  overdueAmount: number;
}

/** Survey answers of one month. */
export interface NpsFigure {
  month: string;
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number;
  averageScore: number;
}

/** All figures for one workspace, range and template filter. */
export interface Insights {
  range: { from: string; to: string };
  template: { templateId: string | null; templateVersion: number | null };
  /** The template versions journeys in the range ran (for the filter). */
  templates: { templateId: string; templateVersion: number; label: string }[];
  journeys: number;
  durations: DurationFigure[];
  clients: ClientFigure[];
  waits: WaitFigure[];
  failures: FailureFigure[];
  conversion: ConversionFigure[];
  money: MoneyFigure[];
  nps: NpsFigure[];
}
