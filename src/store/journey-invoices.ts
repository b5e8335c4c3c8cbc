/**
 * The invoices each journey created, so that a Stripe invoice event is matched
 * to its journey by the invoice id within the workspace, never by the
 * metadata on the invoice (whoever creates an invoice writes its metadata).
 */
export async function recordJourneyInvoice(db: D1Database, input: JourneyInvoice): Promise<void> {
  await journeyInvoiceStatement(db, input).run();
}

/** An invoice a journey created, and what for (the payment's kind). */
export interface JourneyInvoice {
  workspaceId: string;
  invoiceId: string;
  journeyId: string;
  purpose: string;
}

/** The statement of `recordJourneyInvoice`, to write together with others (`updateJourney`'s rows). */
export function journeyInvoiceStatement(db: D1Database, input: JourneyInvoice): D1PreparedStatement {
  // The bookkeeping step may run again after a crash: the first row stands.
  return db
    .prepare(
      `INSERT INTO journey_invoices (workspace_id, invoice_id, journey_id, purpose) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT(workspace_id, invoice_id) DO NOTHING`,
    )
    .bind(input.workspaceId, input.invoiceId, input.journeyId, input.purpose);
}

/** The journey of the workspace that created this invoice, if any. */
export async function journeyOfInvoice(db: D1Database, workspaceId: string, invoiceId: string): Promise<string | null> {
  if (!invoiceId) return null;
  const row = await db
    .prepare("SELECT journey_id FROM journey_invoices WHERE workspace_id = ? AND invoice_id = ?")
    .bind(workspaceId, invoiceId)
    .first<{ journey_id: string }>();
  return row?.journey_id ?? null;
}

/** The invoices a journey created, oldest first, with what each was for (to undo them when it is cancelled). */
export async function listJourneyInvoices(
  db: D1Database,
  journeyId: string,
): Promise<{ invoiceId: string; purpose: string }[]> {
  const { results } = await db
    .prepare("SELECT invoice_id, purpose FROM journey_invoices WHERE journey_id = ? ORDER BY rowid")
    .bind(journeyId)
    .all<{ invoice_id: string; purpose: string }>();
  return results.map((row) => ({ invoiceId: row.invoice_id, purpose: row.purpose }));
}
