import { checkAgainstAccounts } from "../engine/account-checks";
import { TemplateValidationError } from "../engine/templates";
import { validateTemplate } from "../engine/validate-template";
import type { AppEnv } from "../env";
import { readAccountFacts } from "./account-facts";

/** A template refused by the checks against the connected accounts, with the warnings about skipped checks. */
export class AccountCheckError extends TemplateValidationError {
  override name = "AccountCheckError";
  constructor(
    errors: string[],
    readonly warnings: string[],
  ) {
    super(errors);
  }
}

/**
 * Checks a template the owner saves or restores through the editor: its
 * schema (validateTemplate), then the connected accounts and the settings
 * (checkAgainstAccounts). Throws the schema's problems, or the accounts'
 * with the warnings; returns the warnings (checks skipped because a
 * provider is not connected or could not be read) when there is no problem.
 */
export async function checkTemplateForSave(env: AppEnv, workspaceId: string, input: unknown): Promise<string[]> {
  const result = validateTemplate(input);
  if (!result.ok) throw new TemplateValidationError(result.errors);
  const { facts, warnings } = await readAccountFacts(env, workspaceId);
  const errors = checkAgainstAccounts(result.template, facts);
  if (errors.length) throw new AccountCheckError(errors, warnings);
  return warnings;
}

/** The /validate verdict: schema problems first; the account checks only for a template whose schema is valid. */
export async function validateForEditor(env: AppEnv, workspaceId: string, input: unknown) {
  try {
    const warnings = await checkTemplateForSave(env, workspaceId, input);
    return { ok: true, errors: [] as string[], warnings };
  } catch (error) {
    if (!(error instanceof TemplateValidationError)) throw error;
    return { ok: false, errors: error.errors, warnings: error instanceof AccountCheckError ? error.warnings : [] };
  }
}
