import { NotFoundError, ValidationError } from "../errors";
import { parseWorkspaceSettings, type WorkspaceSettings, workspaceSettingsSchema } from "./workspace-settings";

export interface Workspace {
  id: string;
  name: string;
  settings: WorkspaceSettings;
}

interface WorkspaceRow {
  id: string;
  name: string;
  settings: string;
}

export async function findWorkspace(db: D1Database, id: string): Promise<Workspace | null> {
  const row = await db.prepare("SELECT id, name, settings FROM workspaces WHERE id = ?").bind(id).first<WorkspaceRow>();
  return row ? { id: row.id, name: row.name, settings: parseWorkspaceSettings(row.settings) } : null;
}

export async function getWorkspace(db: D1Database, id: string): Promise<Workspace> {
  const workspace = await findWorkspace(db, id);
  if (!workspace) throw new NotFoundError("unknown_workspace", `Workspace ${id} does not exist`);
  return workspace;
}

/**
 * Creates the workspace or updates its name and settings. Settings are
 * validated first (ranges, URLs): invalid ones are refused with the first
 * problem named, never stored; keys no longer known are ignored.
 */
export async function upsertWorkspace(
  db: D1Database,
  workspace: { id: string; name: string; settings: Partial<WorkspaceSettings> },
  options: { mergeSettings?: boolean } = {},
): Promise<void> {
  const checked = workspaceSettingsSchema.safeParse(workspace.settings);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ValidationError(`Invalid setting ${issue?.path.join(".") || "settings"}: ${issue?.message ?? "invalid"}`);
  }
  await db
    .prepare(
      `INSERT INTO workspaces (id, name, settings) VALUES (?1, ?2, ?3)
       ON CONFLICT(id) DO UPDATE SET name = ?2, settings = ${options.mergeSettings ? "json_patch(settings, ?3)" : "?3"},
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(workspace.id, workspace.name, JSON.stringify(workspace.settings))
    .run();
}
