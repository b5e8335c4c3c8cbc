export type JourneyPhase = "lead" | "onboarding" | "fulfillment" | "offboarding" | "follow_up";
export type JourneyStatus = "running" | "waiting" | "paused" | "complete" | "failed" | "unpaid" | "cancelled";
/** Which Workflow runs a journey: the journey engine (`JOURNEYS`) runs every one, leads included. */
export type JourneyWorkflow = "process";

export interface Journey {
  id: string;
  workspaceId: string;
  dealId: string;
  contactId: string | null;
  clientName: string | null;
  phase: JourneyPhase;
  status: JourneyStatus;
  workflowInstanceId: string;
  invoiceId: string | null;
  /** The provider a paused journey waits on. */
  pausedFor: string | null;
  /** Which Workflow runs it. */
  workflow: JourneyWorkflow;
  /** The template (and version) the journey pinned when it started; null until then. */
  templateId: string | null;
  templateVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

interface JourneyRow {
  id: string;
  workspace_id: string;
  deal_id: string;
  contact_id: string | null;
  client_name: string | null;
  phase: JourneyPhase;
  status: JourneyStatus;
  workflow_instance_id: string;
  invoice_id: string | null;
  paused_for: string | null;
  /** The column still allows (and defaults to) 'onboarding', the removed fixed flow: read as the interpreter. */
  workflow: string;
  template_id: string | null;
  template_version: number | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (row: JourneyRow): Journey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  dealId: row.deal_id,
  contactId: row.contact_id,
  clientName: row.client_name,
  phase: row.phase,
  status: row.status,
  workflowInstanceId: row.workflow_instance_id,
  invoiceId: row.invoice_id,
  pausedFor: row.paused_for,
  workflow: "process",
  templateId: row.template_id,
  templateVersion: row.template_version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Inserts the journey unless one exists for the deal; true when this call created it. */
export async function insertJourney(
  db: D1Database,
  journey: {
    id: string;
    workspaceId: string;
    dealId: string;
    workflow?: JourneyWorkflow;
    templateVersion?: number;
    phase?: JourneyPhase;
  },
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO journeys (id, workspace_id, deal_id, workflow_instance_id, workflow, template_version, phase)
       VALUES (?1, ?2, ?3, ?1, ?4, ?5, ?6)
       ON CONFLICT DO NOTHING`,
    )
    .bind(
      journey.id,
      journey.workspaceId,
      journey.dealId,
      journey.workflow ?? "process",
      journey.templateVersion ?? null,
      journey.phase ?? "onboarding",
    )
    .run();
  return result.meta.changes > 0;
}

export async function findJourney(db: D1Database, id: string): Promise<Journey | null> {
  const row = await db.prepare("SELECT * FROM journeys WHERE id = ?").bind(id).first<JourneyRow>();
  return row ? fromRow(row) : null;
}

export async function listJourneys(db: D1Database, workspaceId: string, limit = 100): Promise<Journey[]> {
  const { results } = await db
    .prepare("SELECT * FROM journeys WHERE workspace_id = ? ORDER BY created_at DESC LIMIT ?")
    .bind(workspaceId, limit)
    .all<JourneyRow>();
  return results.map(fromRow);
}

export type JourneyFields = Partial<
  Pick<Journey, "contactId" | "clientName" | "phase" | "status" | "invoiceId" | "pausedFor">
>;

/**
 * Updates the given columns; absent (or empty) fields keep their value.
 * `pausedFor` is kept only while the status is "paused". `rows`: statements
 * that go with this change (the step row a wait opens, say), written in the
 * same batch: one round trip, applied together or not at all.
 */
export async function updateJourney(
  db: D1Database,
  id: string,
  fields: JourneyFields,
  rows: readonly D1PreparedStatement[] = [],
): Promise<void> {
  const update = db
    .prepare(
      `UPDATE journeys SET
         contact_id = COALESCE(?2, contact_id), client_name = COALESCE(?3, client_name),
         phase = COALESCE(?4, phase), status = COALESCE(?5, status), invoice_id = COALESCE(?6, invoice_id),
         paused_for = CASE WHEN ?5 IS NULL THEN paused_for WHEN ?5 = 'paused' THEN ?7 ELSE NULL END,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ?1`,
    )
    .bind(
      id,
      // A lead's contact id is empty until the contact is found or created.
      fields.contactId || null,
      fields.clientName ?? null,
      fields.phase ?? null,
      fields.status ?? null,
      fields.invoiceId ?? null,
      fields.pausedFor ?? null,
    );
  if (rows.length === 0) await update.run();
  else await db.batch([update, ...rows]);
}

/** The journeys of a workspace in any of `statuses` (all when null), most recently changed first. */
export async function listJourneysByStatus(
  db: D1Database,
  workspaceId: string,
  statuses: readonly JourneyStatus[] | null,
  limit = 200,
): Promise<Journey[]> {
  const filter = statuses ? `AND status IN (${statuses.map(() => "?").join(", ")})` : "";
  const { results } = await db
    .prepare(
      `SELECT * FROM journeys WHERE workspace_id = ? ${filter} ORDER BY updated_at DESC, created_at DESC LIMIT ?`,
    )
    .bind(workspaceId, ...(statuses ?? []), limit)
    .all<JourneyRow>();
  return results.map(fromRow);
}

/**
 * Marks a journey failed after its engine gave up. A journey the owner
 * cancelled or paused keeps that status: their decision outranks the failure.
 */
export async function markJourneyFailed(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE journeys SET status = 'failed', paused_for = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ? AND status NOT IN ('cancelled') AND NOT (status = 'paused' AND paused_for = 'owner')`,
    )
    .bind(id)
    .run();
}

/** Records the template version a journey runs (pinned once: later edits do not change it). */
export async function pinJourneyTemplate(
  db: D1Database,
  id: string,
  templateId: string,
  version: number,
): Promise<void> {
  await db
    .prepare("UPDATE journeys SET template_id = ?, template_version = ? WHERE id = ?")
    .bind(templateId, version, id)
    .run();
}
