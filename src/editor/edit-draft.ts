import { z } from "zod";
import { usedStepIds } from "../engine/step-id-history";
import { applyEdit, DraftTemplate, type Edited, EditOp, EditRefused } from "./edit-ops";

/** What the editor's script sends for an edit: the draft as the form has it, and the edit. */
export const EditRequest = z.object({ template: DraftTemplate, op: EditOp });
export type EditRequest = z.infer<typeof EditRequest>;

/**
 * Every step id a template ever used (src/engine/step-id-history.ts): a new
 * step never gets one of these (step names are permanent).
 */
export async function reservedStepIds(db: D1Database, workspaceId: string, templateId: string): Promise<Set<string>> {
  return new Set((await usedStepIds(db, workspaceId, templateId)).keys());
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
