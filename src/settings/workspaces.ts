import { NotFoundError, ValidationError } from "../errors";
import { readWorkspace, writeWorkspace } from "../store/workspaces";
import { CLIENT_LINKS, linkProblem } from "./client-links";
import { readWorkspaceSettings, type WorkspaceSettings, workspaceSettingsSchema } from "./workspace-settings";

/** A workspace with its settings parsed (every missing setting at its default). */
export interface Workspace {
  id: string;
  name: string;
  settings: WorkspaceSettings;
}

/** The workspace, or null when there is none with that id. */
export async function findWorkspace(db: D1Database, id: string): Promise<Workspace | null> {
  const record = await readWorkspace(db, id);
  return record ? { id: record.id, name: record.name, settings: readWorkspaceSettings(record.settings) } : null;
}

/** The workspace; a NotFoundError when there is none. */
export async function getWorkspace(db: D1Database, id: string): Promise<Workspace> {
  const workspace = await findWorkspace(db, id);
  if (!workspace) throw new NotFoundError("unknown_workspace", `Workspace ${id} does not exist`);
  return workspace;
}

/**
 * Creates the workspace or updates its name and settings. Settings are
 * validated first (ranges, URLs; client links must be https links on a real
 * host, and localhost only with `allowLocalhost`, i.e. outside production):
 * invalid ones are refused with the first problem named, never stored. The
 * given keys are stored as given (defaults are filled in on read, so a later
 * default change applies); with `mergeSettings` a null unsets a key.
 */
export async function upsertWorkspace(
  db: D1Database,
  workspace: { id: string; name: string; settings: Partial<WorkspaceSettings> },
  options: { mergeSettings?: boolean; allowLocalhost?: boolean } = {},
): Promise<void> {
  const checked = workspaceSettingsSchema.safeParse(workspace.settings);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ValidationError(`Invalid setting ${issue?.path.join(".") || "settings"}: ${issue?.message ?? "invalid"}`);
  }
  for (const { setting } of Object.values(CLIENT_LINKS)) {
    const value = workspace.settings[setting];
    const problem = value ? linkProblem(value, { allowLocalhost: options.allowLocalhost }) : null;
    if (problem) throw new ValidationError(`Invalid setting ${setting}: ${problem}`);
  }
  await writeWorkspace(db, workspace, options);
}
