/**
 * D1 access for `unsubscribes`: who opted out of a workspace's
 * marketing-style emails, by address hash (the address itself is never stored).
 */

/**
 * Records that the address (by hash) opted out of the workspace's
 * marketing-style emails. Idempotent: true only for the call that recorded
 * it; the first time is kept.
 */
export async function recordUnsubscribe(db: D1Database, workspaceId: string, hash: string): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO unsubscribes (workspace_id, email_hash) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
    .bind(workspaceId, hash)
    .run();
  return result.meta.changes > 0;
}

/** Whether the address (by hash) opted out of this workspace's marketing-style emails. */
export async function isHashUnsubscribed(db: D1Database, workspaceId: string, hash: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS yes FROM unsubscribes WHERE workspace_id = ?1 AND email_hash = ?2")
    .bind(workspaceId, hash)
    .first<{ yes: number }>();
  return row !== null;
}
