/** A money reversal recorded against a journey (migration 0021, docs/reversals.md). */
export interface JourneyReversal {
  eventId: string;
  kind: string;
  objectId: string;
  invoiceId: string;
  openedAt: string;
  resolvedAt: string | null;
  /** The resolving Stripe event, or `owner` (released on the journey page or through the API). */
  resolvedBy: string | null;
}

/** Records a reversal as open; false when this event was recorded before (a redelivery). */
export async function openReversal(
  db: D1Database,
  input: { workspaceId: string; journeyId: string; eventId: string; kind: string; objectId: string; invoiceId: string },
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO journey_reversals (journey_id, event_id, workspace_id, kind, object_id, invoice_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(journey_id, event_id) DO NOTHING`,
    )
    .bind(input.journeyId, input.eventId, input.workspaceId, input.kind, input.objectId, input.invoiceId)
    .run();
  return result.meta.changes > 0;
}

/** Resolves the journey's open reversals of these kinds on one Stripe object; the number resolved. */
export async function resolveReversals(
  db: D1Database,
  input: { journeyId: string; objectId: string; kinds: readonly string[]; resolvedBy: string },
): Promise<number> {
  const kinds = JSON.stringify(input.kinds);
  const result = await db
    .prepare(
      `UPDATE journey_reversals SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), resolved_by = ?4
       WHERE journey_id = ?1 AND object_id = ?2 AND resolved_at IS NULL AND kind IN (SELECT value FROM json_each(?3))`,
    )
    .bind(input.journeyId, input.objectId, kinds, input.resolvedBy)
    .run();
  return result.meta.changes;
}

/** A journey's reversals, oldest first. */
export async function listReversals(db: D1Database, journeyId: string): Promise<JourneyReversal[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id, kind, object_id, invoice_id, opened_at, resolved_at, resolved_by FROM journey_reversals
       WHERE journey_id = ? ORDER BY opened_at, rowid`,
    )
    .bind(journeyId)
    .all<{
      event_id: string;
      kind: string;
      object_id: string;
      invoice_id: string;
      opened_at: string;
      resolved_at: string | null;
      resolved_by: string | null;
    }>();
  return results.map((r) => ({
    eventId: r.event_id,
    kind: r.kind,
    objectId: r.object_id,
    invoiceId: r.invoice_id,
    openedAt: r.opened_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  }));
}

/** The owner resolves one open reversal of the journey (`resolved_by = 'owner'`); false when none was open. */
export async function resolveReversalByOwner(db: D1Database, journeyId: string, eventId: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE journey_reversals SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), resolved_by = 'owner'
       WHERE journey_id = ?1 AND event_id = ?2 AND resolved_at IS NULL`,
    )
    .bind(journeyId, eventId)
    .run();
  return result.meta.changes > 0;
}
