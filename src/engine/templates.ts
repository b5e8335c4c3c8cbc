import { AppError } from "../errors";
import {
  DEFAULT_TEMPLATE_ID,
  findTemplateVersion,
  insertTemplateVersion,
  listLatestTemplates,
  type StoredTemplate,
} from "../store/process-templates";
import { DEFAULT_TEMPLATE } from "./default-template";
import { reusedStepIds, usedStepIds } from "./step-id-history";
import type { ProcessTemplate } from "./template-schema";
import { validateTemplate } from "./validate-template";

/**
 * A workspace's process templates as the engine and the editor use them:
 * validated before they are stored, the built-in default where none was
 * saved. The rows themselves are read and written by
 * src/store/process-templates.ts.
 */

/** Template ids are what the URLs and the pipeline choice use: lower-case words joined by dashes. */
export const TEMPLATE_ID = /^[a-z][a-z0-9-]{0,39}$/;

/** One version of a template, ready to run. */
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

/** Every stored body was validated by {@link saveTemplate} before it was written. */
const toVersion = (stored: StoredTemplate): TemplateVersion => ({
  templateId: stored.templateId,
  version: stored.version,
  template: stored.body as ProcessTemplate,
  createdBy: stored.createdBy,
  createdAt: stored.createdAt,
});

/**
 * Saves a new version of a template after validating it; versions are
 * append-only, so a running journey keeps the version it started with. A
 * step id an earlier version used for another action is refused.
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
  // Checked here, not only by the editor's edits: a JSON PUT or a restore may bring back an id for another action.
  const reused = reusedStepIds(result.template, await usedStepIds(db, workspaceId, templateId));
  if (reused.length) throw new TemplateValidationError(reused);
  return insertTemplateVersion(db, workspaceId, templateId, result.template, createdBy);
}

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
  const stored = await findTemplateVersion(db, workspaceId, templateId, version);
  if (stored) return toVersion(stored);
  return { templateId, version: 0, template: defaultProcessTemplate(), createdBy: null, createdAt: "" };
}

/** The latest version of every template the workspace saved. */
export async function listTemplates(db: D1Database, workspaceId: string): Promise<TemplateVersion[]> {
  return (await listLatestTemplates(db, workspaceId)).map(toVersion);
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
