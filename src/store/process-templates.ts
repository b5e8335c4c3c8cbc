import { DEFAULT_TEMPLATE } from "../engine/default-template";
import type { ProcessTemplate } from "../engine/template-schema";
import { validateTemplate } from "../engine/validate-template";
import { AppError } from "../errors";

/** The template a workspace falls back to; others are chosen by a deal's pipeline. */
export const DEFAULT_TEMPLATE_ID = "default";
export const TEMPLATE_ID = /^[a-z][a-z0-9-]{0,39}$/;

export interface TemplateVersion {
  templateId: string;
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

function checkId(templateId: string): void {
  if (!TEMPLATE_ID.test(templateId))
    throw new AppError("invalid_template_id", "Template ids are lower-case words joined by dashes", 400);
}

/**
 * Saves a new version of a template after validating it; versions are
 * append-only, so a running journey keeps the version it started with.
 */
export async function saveTemplate(
  db: D1Database,
  workspaceId: string,
  input: unknown,
  createdBy: string | null,
  templateId = DEFAULT_TEMPLATE_ID,
): Promise<number> {
  checkId(templateId);
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(result.errors);
  const row = await db
    .prepare(
      `INSERT INTO process_templates (workspace_id, template_id, version, body, created_by)
       SELECT ?1, ?2, COALESCE(MAX(version), 0) + 1, ?3, ?4 FROM process_templates WHERE workspace_id = ?1 AND template_id = ?2
       RETURNING version`,
    )
    .bind(workspaceId, templateId, JSON.stringify(result.template), createdBy)
    .first<{ version: number }>();
  return row?.version ?? 0;
}

interface TemplateRow {
  template_id: string;
  version: number;
  body: string;
  created_by: string | null;
  created_at: string;
}

const fromRow = (row: TemplateRow): TemplateVersion => ({
  templateId: row.template_id,
  version: row.version,
  template: JSON.parse(row.body),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/**
 * A template's given version, or its latest. The default template id that
 * was never saved is the built-in default, as version 0.
 */
export async function getTemplate(
  db: D1Database,
  workspaceId: string,
  version?: number,
  templateId = DEFAULT_TEMPLATE_ID,
): Promise<TemplateVersion> {
  const row = await db
    .prepare(
      version === undefined
        ? "SELECT * FROM process_templates WHERE workspace_id = ? AND template_id = ? ORDER BY version DESC LIMIT 1"
        : "SELECT * FROM process_templates WHERE workspace_id = ? AND template_id = ? AND version = ?",
    )
    .bind(...(version === undefined ? [workspaceId, templateId] : [workspaceId, templateId, version]))
    .first<TemplateRow>();
  if (row) return fromRow(row);
  return { templateId, version: 0, template: defaultProcessTemplate(), createdBy: null, createdAt: "" };
}

/** The latest version of every template the workspace saved. */
export async function listTemplates(db: D1Database, workspaceId: string): Promise<TemplateVersion[]> {
  const { results } = await db
    .prepare(
      `SELECT t.* FROM process_templates t
       JOIN (SELECT template_id, MAX(version) AS version FROM process_templates WHERE workspace_id = ?1 GROUP BY template_id) latest
         ON latest.template_id = t.template_id AND latest.version = t.version
       WHERE t.workspace_id = ?1 ORDER BY t.template_id`,
    )
    .bind(workspaceId)
    .all<TemplateRow>();
  return results.map(fromRow);
}

/**
 * The template a deal runs: the latest template that names the deal's
 * pipeline, else the default (saved or built in).
 */
export async function templateForPipeline(
  db: D1Database,
  workspaceId: string,
  pipeline: string | null,
): Promise<TemplateVersion> {
  if (pipeline) {
    const match = (await listTemplates(db, workspaceId)).find((t) => t.template.pipeline === pipeline);
    if (match) return match;
  }
  return getTemplate(db, workspaceId);
}

export async function listTemplateVersions(db: D1Database, workspaceId: string, templateId = DEFAULT_TEMPLATE_ID) {
  const { results } = await db
    .prepare(
      "SELECT version, created_by, created_at FROM process_templates WHERE workspace_id = ? AND template_id = ? ORDER BY version DESC",
    )
    .bind(workspaceId, templateId)
    .all<{ version: number; created_by: string | null; created_at: string }>();
  return results.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}

/** One saved version in a template's history, newest first: who saved it, when, under which name. */
export interface TemplateHistoryEntry {
  version: number;
  name: string;
  savedAt: string;
  /** The owner's email when known, else the stored Google sub (null for none). */
  savedBy: string | null;
}

/** A template's version history (the template's name as each version had it). */
export async function listTemplateHistory(
  db: D1Database,
  workspaceId: string,
  templateId = DEFAULT_TEMPLATE_ID,
): Promise<TemplateHistoryEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT t.version, json_extract(t.body, '$.name') AS name, COALESCE(o.email, t.created_by) AS created_by, t.created_at
       FROM process_templates t LEFT JOIN owners o ON o.google_sub = t.created_by
       WHERE t.workspace_id = ? AND t.template_id = ? ORDER BY t.version DESC`,
    )
    .bind(workspaceId, templateId)
    .all<{ version: number; name: string | null; created_by: string | null; created_at: string }>();
  return results.map((r) => ({ version: r.version, name: r.name ?? "", savedAt: r.created_at, savedBy: r.created_by }));
}

/**
 * Saves a copy of an old version as the template's new current version
 * (history stays append-only: restoring never rewrites or deletes).
 */
export async function restoreTemplateVersion(
  db: D1Database,
  workspaceId: string,
  templateId: string,
  version: number,
  restoredBy: string | null,
): Promise<number | null> {
  checkId(templateId);
  const old = await getTemplate(db, workspaceId, version, templateId);
  if (old.version !== version) return null;
  return saveTemplate(db, workspaceId, old.template, restoredBy, templateId);
}
