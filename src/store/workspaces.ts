/**
 * D1 access for `workspaces`. The settings column is JSON the store does not
 * interpret: src/settings/workspaces.ts validates what is written and parses
 * what is read.
 */

/** A workspace row; `settings` is the stored JSON object (an empty object when none). */
export interface WorkspaceRecord {
  id: string;
  name: string;
  settings: unknown;
}

interface WorkspaceRow {
  id: string;
  name: string;
  settings: string | null;
}

/** The workspace's row, or null. */
export async function readWorkspace(db: D1Database, id: string): Promise<WorkspaceRecord | null> {
  const row = await db.prepare("SELECT id, name, settings FROM workspaces WHERE id = ?").bind(id).first<WorkspaceRow>();
  return row ? { id: row.id, name: row.name, settings: row.settings ? JSON.parse(row.settings) : {} } : null;
}

/**
 * Creates the workspace or updates its name and settings. With
 * `mergeSettings`, the given keys are merged into the stored settings
 * (JSON merge patch) instead of replacing them.
 */
export async function writeWorkspace(
  db: D1Database,
  workspace: { id: string; name: string; settings: object },
  options: { mergeSettings?: boolean } = {},
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO workspaces (id, name, settings) VALUES (?1, ?2, ?3)
       ON CONFLICT(id) DO UPDATE SET name = ?2, settings = ${options.mergeSettings ? "json_patch(settings, ?3)" : "?3"},
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(workspace.id, workspace.name, JSON.stringify(workspace.settings))
    .run();
}
