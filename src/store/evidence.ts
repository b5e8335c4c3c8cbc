/**
 * Reads for the agreement evidence pack (src/contracts/evidence-pack.ts):
 * facts other tables already hold, read without decrypting anything.
 */

/** A Stripe `invoice.paid` event recorded for one of the workspace's invoices. */
export interface InvoicePaidEvent {
  /** Stripe's event id (`evt_…`). */
  eventId: string;
  invoiceId: string;
  /** When Stripe says the invoice was paid (`status_transitions.paid_at`), ISO-8601. */
  paidAt: string;
  /** When Clientflow received the event. */
  receivedAt: string;
}

/**
 * The `invoice.paid` events of these invoices in the workspace's webhook log,
 * first received first. Read from the normalized payload (ids and times only,
 * src/intake/normalized.ts); rows recorded before payloads were kept have none
 * and are not found.
 */
export async function invoicePaidEvents(
  db: D1Database,
  workspaceId: string,
  invoiceIds: readonly string[],
): Promise<InvoicePaidEvent[]> {
  if (invoiceIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT event_id, json_extract(payload, '$.invoiceId') AS invoice_id,
         json_extract(payload, '$.paidAt') AS paid_at, received_at
       FROM webhook_events
       WHERE workspace_id = ?1 AND provider = 'stripe' AND event_type = 'invoice.paid' AND payload IS NOT NULL
         AND json_extract(payload, '$.invoiceId') IN (SELECT value FROM json_each(?2))
       ORDER BY id`,
    )
    .bind(workspaceId, JSON.stringify(invoiceIds))
    .all<{ event_id: string; invoice_id: string; paid_at: string | null; received_at: string }>();
  return results.map((row) => ({
    eventId: row.event_id,
    invoiceId: row.invoice_id,
    paidAt: row.paid_at ?? row.received_at,
    receivedAt: row.received_at,
  }));
}

/**
 * The address a workspace's Google connection sends from, as the send step
 * reads it (`config.email`, else the account id: integrations/google/auth.ts),
 * or null without one; nothing decrypted.
 */
export async function googleSenderAddress(db: D1Database, workspaceId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT COALESCE(json_extract(config, '$.email'), external_account_id) AS sender
       FROM connections WHERE workspace_id = ? AND provider = 'google'`,
    )
    .bind(workspaceId)
    .first<{ sender: string | null }>();
  return row?.sender ?? null;
}
