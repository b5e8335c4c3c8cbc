/**
 * D1 access for `status_mappings`: one JSON mapping per workspace. The store
 * does not know the mapping's shape; callers hand it their parser
 * (src/settings/status-mapping.ts).
 */

/** The workspace's stored mapping as `parse` reads it, or null when the workspace has none. */
export async function readStatusMapping<T>(
  db: D1Database,
  workspaceId: string,
  parse: (json: unknown) => T,
): Promise<T | null> {
  const row = await db
    .prepare("SELECT mapping FROM status_mappings WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ mapping: string }>();
  return row ? parse(JSON.parse(row.mapping)) : null;
}

/** Stores the workspace's mapping over any earlier one. */
export async function writeStatusMapping(db: D1Database, workspaceId: string, mapping: object): Promise<void> {
  await db
    .prepare(
      `INSERT INTO status_mappings (workspace_id, mapping) VALUES (?1, ?2)
       ON CONFLICT(workspace_id) DO UPDATE SET mapping = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(workspaceId, JSON.stringify(mapping))
    .run();
}
