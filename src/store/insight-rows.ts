/*
 * The shapes of the rows src/store/insights.ts reads (plain types, no D1:
 * src/insights computes from them, in the Worker and in Node tests alike).
 */

/** A journey that started in the range. */
export interface JourneyRow {
  id: string;
  clientName: string | null;
  status: string;
  templateId: string | null;
  templateVersion: number | null;
  createdAt: string;
}

/** One timeline row of such a journey. */
export interface StepRow {
  journeyId: string;
  name: string;
  status: string;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  /** The row finished as skipped (by the owner, a condition, a passed status, a timeout). */
  skipped: boolean;
}

/** An answered survey. */
export interface SurveyRow {
  journeyId: string;
  answeredAt: string;
  score: number;
}

/** A lead received in the range. */
export interface LeadRow {
  id: string;
  source: string;
  createdAt: string;
  /** When its journey's deal was won, or null. */
  wonAt: string | null;
}

/** An invoice a journey created in the range. */
export interface InvoiceRow {
  invoiceId: string;
  journeyId: string;
  journeyStatus: string;
  /** In the currency's minor unit, as Stripe returned it; null when the step stored none. */
  amountDue: number | null;
  currency: string | null;
  /** YYYY-MM-DD, or null (Stripe sets none for invoices charged automatically). */
  dueDate: string | null;
  paid: boolean;
}

/** Everything read for one workspace and range. */
export interface InsightRows {
  journeys: JourneyRow[];
  steps: StepRow[];
  surveys: SurveyRow[];
  leads: LeadRow[];
  invoices: InvoiceRow[];
}
