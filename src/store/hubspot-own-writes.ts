/**
 * D1 access for `hubspot_own_writes`: the journal of what Clientflow itself
 * wrote to HubSpot (a created contact or deal, a deal stage it set), read by
 * the echo check so HubSpot's webhook about our own write starts nothing.
 */

/** One write: `property` is "" for the creation of the object itself. */
export interface OwnWrite {
  objectType: "contact" | "deal";
  objectId: string;
  property: string;
  value: string;
}

/**
 * Records writes made at `writtenAt` (epoch ms), with `rows` (the statements
 * of what goes with them: the step row of the action that made them) in the
 * same batch: one round trip, applied together.
 */
export async function recordOwnWrites(
  db: D1Database,
  workspaceId: string,
  writes: readonly OwnWrite[],
  writtenAt: number = Date.now(),
  rows: readonly D1PreparedStatement[] = [],
): Promise<void> {
  const insert = db.prepare(
    "INSERT INTO hubspot_own_writes (workspace_id, object_type, object_id, property, value, written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  );
  const statements = [
    ...rows,
    ...writes.map((w) => insert.bind(workspaceId, w.objectType, w.objectId, w.property, w.value, writtenAt)),
  ];
  if (statements.length > 0) await db.batch(statements);
}

/** Whether Clientflow created this object (any time the journal still remembers). */
export async function createdByUs(
  db: D1Database,
  workspaceId: string,
  objectType: OwnWrite["objectType"],
  objectId: string,
): Promise<boolean> {
  const row = await db
    .prepare(
      "SELECT 1 AS yes FROM hubspot_own_writes WHERE workspace_id = ?1 AND object_type = ?2 AND object_id = ?3 AND property = '' LIMIT 1",
    )
    .bind(workspaceId, objectType, objectId)
    .first<{ yes: number }>();
  return row !== null;
}

/** Whether Clientflow wrote this value to this property between `from` and `to` (epoch ms). */
export async function wroteValueBetween(
  db: D1Database,
  workspaceId: string,
  write: OwnWrite,
  from: number,
  to: number,
): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 AS yes FROM hubspot_own_writes
       WHERE workspace_id = ?1 AND object_type = ?2 AND object_id = ?3 AND property = ?4 AND value = ?5
         AND written_at BETWEEN ?6 AND ?7 LIMIT 1`,
    )
    .bind(workspaceId, write.objectType, write.objectId, write.property, write.value, from, to)
    .first<{ yes: number }>();
  return row !== null;
}

/** Deletes rows written before `before` (epoch ms); returns how many. */
export async function purgeOwnWrites(db: D1Database, before: number): Promise<number> {
  const result = await db.prepare("DELETE FROM hubspot_own_writes WHERE written_at < ?1").bind(before).run();
  return result.meta.changes;
}
