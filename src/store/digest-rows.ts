/**
 * What the weekly owner digest (src/digest/compose.ts) lists for one
 * workspace and week ([start, end) as ISO times). Ids, names, amounts and
 * scores only: the digest goes to the owner, never to a client.
 */
export interface DigestRows {
  newClients: { journeyId: string; clientName: string | null; createdAt: string }[];
  /** Journeys failed, or with a step failed (held for the owner) or waiting since before `stuckBefore`. */
  troubled: { journeyId: string; clientName: string | null; step: string; stepStatus: string; since: string }[];
  overdueInvoices: {
    invoiceId: string;
    journeyId: string;
    clientName: string | null;
    amountDue: number;
    currency: string;
    dueDate: string;
  }[];
  surveyAnswers: {
    journeyId: string;
    clientName: string | null;
    score: number;
    comment: string | null;
    answeredAt: string;
  }[];
  warnings: { provider: string; kind: string; status: string; hint: string | null }[];
}

type Row = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * Reads the digest's rows in one batch. `stuckBefore`: a step waiting since
 * before it counts as stuck; `today` (YYYY-MM-DD): an unpaid invoice due
 * before it is overdue (paid means the event log holds its
 * stripe.invoice.paid, as the insights read it).
 */
export async function readDigestRows(
  db: D1Database,
  workspaceId: string,
  range: { start: string; end: string; stuckBefore: string; today: string },
): Promise<DigestRows> {
  const [clients, troubled, invoices, surveys, warnings] = await db.batch<Row>([
    db
      .prepare(
        `SELECT id, client_name, created_at FROM journeys
         WHERE workspace_id = ?1 AND created_at >= ?2 AND created_at < ?3 ORDER BY created_at`,
      )
      .bind(workspaceId, range.start, range.end),
    db
      .prepare(
        `SELECT j.id, j.client_name, s.name AS step, s.status AS step_status, s.updated_at AS since FROM journeys j
         JOIN journey_steps s ON s.journey_id = j.id
         WHERE j.workspace_id = ?1 AND j.status IN ('running', 'waiting', 'paused', 'failed')
           AND (s.status = 'failed' OR (s.status = 'waiting' AND s.updated_at < ?2))
         ORDER BY s.updated_at`,
      )
      .bind(workspaceId, range.stuckBefore),
    db
      .prepare(
        `SELECT ji.invoice_id, ji.journey_id, j.client_name,
           json_extract(s.result, '$.amountDue') AS amount_due, json_extract(s.result, '$.currency') AS currency,
           json_extract(s.result, '$.dueDate') AS due_date
         FROM journey_invoices ji JOIN journeys j ON j.id = ji.journey_id
         JOIN journey_steps s ON s.journey_id = ji.journey_id AND json_valid(s.result)
           AND json_extract(s.result, '$.invoiceId') = ji.invoice_id
         WHERE ji.workspace_id = ?1 AND j.status NOT IN ('cancelled')
           AND json_extract(s.result, '$.dueDate') < ?2 AND json_extract(s.result, '$.amountDue') > 0
           AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.workspace_id = ji.workspace_id
             AND e.provider = 'stripe' AND json_valid(e.payload)
             AND json_extract(e.payload, '$.type') = 'stripe.invoice.paid'
             AND json_extract(e.payload, '$.invoiceId') = ji.invoice_id)
         GROUP BY ji.invoice_id ORDER BY due_date`,
      )
      .bind(workspaceId, range.today),
    db
      .prepare(
        `SELECT s.journey_id, j.client_name, s.score, s.comment, s.answered_at FROM surveys s JOIN journeys j ON j.id = s.journey_id
         WHERE s.workspace_id = ?1 AND s.status = 'answered' AND s.answered_at >= ?2 AND s.answered_at < ?3
         ORDER BY s.answered_at`,
      )
      .bind(workspaceId, range.start, range.end),
    db
      .prepare(
        `SELECT provider, kind, status, hint FROM connection_checks
         WHERE workspace_id = ?1 AND status != 'ok' ORDER BY status DESC, provider, kind`,
      )
      .bind(workspaceId),
  ]);
  return {
    newClients: (clients?.results ?? []).map((r) => ({
      journeyId: String(r.id),
      clientName: text(r.client_name),
      createdAt: String(r.created_at),
    })),
    troubled: (troubled?.results ?? []).map((r) => ({
      journeyId: String(r.id),
      clientName: text(r.client_name),
      step: String(r.step),
      stepStatus: String(r.step_status),
      since: String(r.since),
    })),
    overdueInvoices: (invoices?.results ?? []).map((r) => ({
      invoiceId: String(r.invoice_id),
      journeyId: String(r.journey_id),
      clientName: text(r.client_name),
      amountDue: Number(r.amount_due),
      currency: String(r.currency ?? ""),
      dueDate: String(r.due_date),
    })),
    surveyAnswers: (surveys?.results ?? []).map((r) => ({
      journeyId: String(r.journey_id),
      clientName: text(r.client_name),
      score: Number(r.score),
      comment: text(r.comment),
      answeredAt: String(r.answered_at),
    })),
    warnings: (warnings?.results ?? []).map((r) => ({
      provider: String(r.provider),
      kind: String(r.kind),
      status: String(r.status),
      hint: text(r.hint),
    })),
  };
}

/** A workspace the digest may go to: its owner's address, its name and settings (JSON), with Google connected. */
export interface DigestRecipient {
  workspaceId: string;
  workspaceName: string;
  settings: string;
  ownerEmail: string;
}

/** Workspaces with an owner and an active Google connection (the digest is sent from the owner's Gmail). */
export async function digestRecipients(db: D1Database): Promise<DigestRecipient[]> {
  const { results } = await db
    .prepare(
      `SELECT w.id, w.name, w.settings, MIN(o.email) AS email FROM workspaces w
       JOIN owners o ON o.workspace_id = w.id
       JOIN connections c ON c.workspace_id = w.id AND c.provider = 'google' AND c.status = 'active'
       GROUP BY w.id ORDER BY w.id`,
    )
    .all<{ id: string; name: string; settings: string; email: string }>();
  return results.map((r) => ({ workspaceId: r.id, workspaceName: r.name, settings: r.settings, ownerEmail: r.email }));
}
