import { TemplateValidationError } from "../engine/templates";
import { NotFoundError } from "../errors";
import { AccountCheckError } from "./account-check";
import { placeProblems } from "./editor-problems";

/** The 404 for a template the workspace does not have. */
export const notFoundTemplate = (templateId: string) =>
  new NotFoundError("unknown_template", `There is no template ${templateId}`);

/** A save that may be refused: its value, or the 422 body naming every problem of the template. */
export async function orProblems<T>(
  save: () => Promise<T>,
): Promise<{ value: T } | { problems: ReturnType<typeof problemsBody> }> {
  try {
    return { value: await save() };
  } catch (error) {
    if (error instanceof TemplateValidationError) return { problems: problemsBody(error) };
    throw error;
  }
}

function problemsBody(error: TemplateValidationError) {
  return {
    error: "invalid_template" as const,
    message: error.message,
    details: error.errors,
    problems: placeProblems(error.errors),
    warnings: error instanceof AccountCheckError ? error.warnings : [],
  };
}
