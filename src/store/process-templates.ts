import { AppError } from "../errors";
import { DEFAULT_TEMPLATE } from "../process/default-template";
import type { ProcessTemplate } from "../process/template-schema";
import { validateTemplate } from "../process/validate-template";

export interface TemplateVersion {
  version: number;
  template: ProcessTemplate;
  createdBy: string | null;
  createdAt: string;
}

/** A template refused with every problem listed (422 on the wire). */
export class TemplateValidationError extends AppError {
  override name = "TemplateValidationError";
  constructor(readonly errors: string[]) {
    super("invalid_template", `The template has ${errors.length} problem${errors.length === 1 ? "" : "s"}`, 422, {
      details: errors,
    });
  }
}

/** The default template, validated (a broken default is a bug, not owner input). */
export function defaultProcessTemplate(): ProcessTemplate {
  const result = validateTemplate(DEFAULT_TEMPLATE);
  if (!result.ok) throw new Error(`The default template is invalid: ${result.errors.join("; ")}`);
  return result.template;
}

/**
 * Saves a new version after validating it; versions are append-only, so a
 * running journey keeps the version it started with.
 */
export async function saveTemplate(
  db: D1Database,
  workspaceId: string,
  input: unknown,
  createdBy: string | null,
): Promise<number> {
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(result.errors);
  const row = await db
    .prepare(
      `INSERT INTO process_templates (workspace_id, version, body, created_by)
       SELECT ?1, COALESCE(MAX(version), 0) + 1, ?2, ?3 FROM process_templates WHERE workspace_id = ?1
       RETURNING version`,
    )
    .bind(workspaceId, JSON.stringify(result.template), createdBy)
    .first<{ version: number }>();
  return row?.version ?? 0;
}

/** A given version, or the latest; a workspace that never saved one gets the default as version 0. */
export async function getTemplate(db: D1Database, workspaceId: string, version?: number): Promise<TemplateVersion> {
  const row = await db
    .prepare(
      version === undefined
        ? "SELECT * FROM process_templates WHERE workspace_id = ? ORDER BY version DESC LIMIT 1"
        : "SELECT * FROM process_templates WHERE workspace_id = ? AND version = ?",
    )
    .bind(...(version === undefined ? [workspaceId] : [workspaceId, version]))
    .first<{ version: number; body: string; created_by: string | null; created_at: string }>();
  if (!row) return { version: 0, template: defaultProcessTemplate(), createdBy: null, createdAt: "" };
  return { version: row.version, template: JSON.parse(row.body), createdBy: row.created_by, createdAt: row.created_at };
}

export async function listTemplateVersions(db: D1Database, workspaceId: string) {
  const { results } = await db
    .prepare(
      "SELECT version, created_by, created_at FROM process_templates WHERE workspace_id = ? ORDER BY version DESC",
    )
    .bind(workspaceId)
    .all<{ version: number; created_by: string | null; created_at: string }>();
  return results.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}
