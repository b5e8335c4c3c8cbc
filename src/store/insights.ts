import type { InsightRows, InvoiceRow, JourneyRow, LeadRow, StepRow, SurveyRow } from "./insight-rows";

/*
 * The rows the insights are computed from, for one workspace and one time
 * range ([start, end) as ISO times). Every query names the workspace; the
 * range bounds journeys by their start, leads by their arrival, invoices by
 * their creation and surveys by their answer.
 */

/** Reads everything src/insights/compute.ts needs, in one batch. */
export async function readInsightRows(
  db: D1Database,
  workspaceId: string,
  range: { start: string; end: string },
): Promise<InsightRows> {
  const journeysInRange = `SELECT id FROM journeys WHERE workspace_id = ?1 AND created_at >= ?2 AND created_at < ?3`;
  const [journeys, steps, surveys, leads, invoices] = await db.batch<Row>([
    db
      .prepare(
        `SELECT id, client_name, status, template_id, template_version, created_at FROM journeys
         WHERE workspace_id = ?1 AND created_at >= ?2 AND created_at < ?3`,
      )
      .bind(workspaceId, range.start, range.end),
    // Sub-rows (`….reminder-1`, `journey.hold#…`) are read too: the module keeps the rows it measures.
    db
      .prepare(
        `SELECT journey_id, name, status, attempts, started_at, finished_at,
           CASE WHEN json_valid(result) AND json_extract(result, '$.skipped') IS NOT NULL THEN 1 ELSE 0 END AS skipped
         FROM journey_steps WHERE journey_id IN (${journeysInRange})`,
      )
      .bind(workspaceId, range.start, range.end),
    // Answered up to the range's end: NPS keeps those answered in the range; journeys of the range need their own.
    db
      .prepare(
        `SELECT journey_id, answered_at, score FROM surveys
         WHERE workspace_id = ?1 AND status = 'answered' AND answered_at >= ?2 AND score IS NOT NULL`,
      )
      .bind(workspaceId, range.start),
    db
      .prepare(
        `SELECT l.id, l.source, l.created_at,
           (SELECT s.finished_at FROM journey_steps s WHERE s.journey_id = l.id AND s.name = 'process.deal-won'
              AND s.status = 'succeeded' AND NOT (json_valid(s.result) AND json_extract(s.result, '$.skipped') IS NOT NULL)
           ) AS won_at
         FROM leads l WHERE l.workspace_id = ?1 AND l.created_at >= ?2 AND l.created_at < ?3`,
      )
      .bind(workspaceId, range.start, range.end),
    // Amount, currency and due date from the invoice step's stored result (Stripe's own values);
    // paid when the event log holds a Stripe invoice.paid event for that invoice in this workspace.
    db
      .prepare(
        `SELECT ji.invoice_id, ji.journey_id, j.status AS journey_status,
           (SELECT json_extract(s.result, '$.amountDue') FROM journey_steps s WHERE s.journey_id = ji.journey_id
              AND json_valid(s.result) AND json_extract(s.result, '$.invoiceId') = ji.invoice_id
              AND json_extract(s.result, '$.amountDue') IS NOT NULL LIMIT 1) AS amount_due,
           (SELECT json_extract(s.result, '$.currency') FROM journey_steps s WHERE s.journey_id = ji.journey_id
              AND json_valid(s.result) AND json_extract(s.result, '$.invoiceId') = ji.invoice_id
              AND json_extract(s.result, '$.currency') IS NOT NULL LIMIT 1) AS currency,
           (SELECT json_extract(s.result, '$.dueDate') FROM journey_steps s WHERE s.journey_id = ji.journey_id
              AND json_valid(s.result) AND json_extract(s.result, '$.invoiceId') = ji.invoice_id
              AND json_extract(s.result, '$.dueDate') IS NOT NULL LIMIT 1) AS due_date,
           EXISTS (SELECT 1 FROM webhook_events e WHERE e.workspace_id = ji.workspace_id AND e.provider = 'stripe'
              AND json_valid(e.payload) AND json_extract(e.payload, '$.type') = 'stripe.invoice.paid'
              AND json_extract(e.payload, '$.invoiceId') = ji.invoice_id) AS paid
         FROM journey_invoices ji JOIN journeys j ON j.id = ji.journey_id AND j.workspace_id = ji.workspace_id
         WHERE ji.workspace_id = ?1 AND ji.created_at >= ?2 AND ji.created_at < ?3`,
      )
      .bind(workspaceId, range.start, range.end),
  ]);
  return {
    journeys: (journeys?.results ?? []).map(journeyRow),
    steps: (steps?.results ?? []).map(stepRow),
    surveys: (surveys?.results ?? []).map(surveyRow),
    leads: (leads?.results ?? []).map(leadRow),
    invoices: (invoices?.results ?? []).map(invoiceRow),
  };
}

type Row = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" ? value : null);
const num = (value: unknown) => (typeof value === "number" ? value : null);

function journeyRow(row: Row): JourneyRow {
  return {
    id: String(row.id),
    clientName: text(row.client_name),
    status: String(row.status),
    templateId: text(row.template_id),
    templateVersion: num(row.template_version),
    createdAt: String(row.created_at),
  };
}

function stepRow(row: Row): StepRow {
  return {
    journeyId: String(row.journey_id),
    name: String(row.name),
    status: String(row.status),
    attempts: num(row.attempts) ?? 0,
    startedAt: String(row.started_at),
    finishedAt: text(row.finished_at),
    skipped: row.skipped === 1,
  };
}

function surveyRow(row: Row): SurveyRow {
  return { journeyId: String(row.journey_id), answeredAt: String(row.answered_at), score: num(row.score) ?? 0 };
}

function leadRow(row: Row): LeadRow {
  return { id: String(row.id), source: String(row.source), createdAt: String(row.created_at), wonAt: text(row.won_at) };
}

function invoiceRow(row: Row): InvoiceRow {
  return {
    invoiceId: String(row.invoice_id),
    journeyId: String(row.journey_id),
    journeyStatus: String(row.journey_status),
    amountDue: num(row.amount_due),
    currency: text(row.currency),
    dueDate: text(row.due_date),
    paid: row.paid === 1,
  };
}
