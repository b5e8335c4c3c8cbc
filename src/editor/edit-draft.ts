import { z } from "zod";
import { DEFAULT_TEMPLATE } from "../engine/default-template";
import { getTemplate } from "../engine/templates";
import { DEFAULT_TEMPLATE_ID, listTemplateVersions } from "../store/process-templates";
import { applyEdit, DraftTemplate, type Edited, EditOp, EditRefused } from "./edit-ops";

/** What the editor's script sends for an edit: the draft as the form has it, and the edit. */
export const EditRequest = z.object({ template: DraftTemplate, op: EditOp });
export type EditRequest = z.infer<typeof EditRequest>;

/**
 * Every step id a template ever used: its saved versions' and, for the
 * default template, the built-in default's (journeys ran it as version 0).
 * A new step never gets one of these (step names are permanent).
 */
export async function reservedStepIds(db: D1Database, workspaceId: string, templateId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const add = (phases: readonly { steps: readonly { id: string }[] }[]) => {
    for (const step of phases.flatMap((p) => p.steps)) ids.add(step.id);
  };
  if (templateId === DEFAULT_TEMPLATE_ID) add(DEFAULT_TEMPLATE.phases);
  for (const { version } of await listTemplateVersions(db, workspaceId, templateId)) {
    add((await getTemplate(db, workspaceId, version, templateId)).template.phases);
  }
  return ids;
}

/** The edit applied to the draft, or why it was refused (an unknown step, a phase already in). */
export async function editDraft(
  db: D1Database,
  workspaceId: string,
  templateId: string,
  request: EditRequest,
): Promise<Edited | { refused: string }> {
  try {
    return applyEdit(request.template, request.op, await reservedStepIds(db, workspaceId, templateId));
  } catch (error) {
    if (error instanceof EditRefused) return { refused: error.message };
    throw error;
  }
}
