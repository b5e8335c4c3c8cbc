import { awaitOperator, type JourneyRun, recordStep, StepSkippedError, stepLabel } from "../runtime/run-step";
import { markStepFinished } from "../store/journey-steps";
import { type StepOutputs, UnfilledMergeFieldError } from "./merge-context";
import type { ProcessTemplate } from "./template-schema";

/** What the checks read of the journey (a part of `StepContext`). */
interface MergeState {
  template?: ProcessTemplate;
  outputs: StepOutputs;
}

const INVOICE_TOKEN = /\{\{\s*(invoice\.[a-zA-Z]+)\s*\}\}/;

/**
 * The invoice step `{{invoice.*}}` would mean at step `stepId`, when the
 * owner skipped it: the last `stripe.create-invoice` step before it that
 * was reached (has outputs). `{{invoice.*}}` still holds the invoice before
 * that one, which is not the invoice the text means.
 */
function skippedInvoiceStep(state: MergeState, stepId: string): string | null {
  let latest: string | null = null;
  for (const step of state.template?.phases.flatMap((p) => p.steps) ?? []) {
    if (step.id === stepId) break;
    if (step.action === "stripe.create-invoice" && state.outputs[step.id]) latest = step.id;
  }
  return latest && state.outputs[latest]?.skipped === "by owner" ? latest : null;
}

/**
 * Throws UnfilledMergeFieldError when a client text of step `stepId` names
 * `{{invoice.*}}` after the owner skipped the invoice step it would mean:
 * an earlier invoice's link must never be sent in its place.
 */
export function assertInvoiceFilled(texts: string[], state: MergeState, stepId: string): void {
  const token = texts.map((t) => INVOICE_TOKEN.exec(t)?.[1]).find(Boolean);
  const skipped = token ? skippedInvoiceStep(state, stepId) : null;
  if (token && skipped) throw new UnfilledMergeFieldError(token, skipped);
}

/** What a hold is on: a client email (nothing sent) or any other step (nothing done). */
export type HeldText = "email" | "step";

/** The owner's reason for a held email or step: which step the field names, why it is empty, and what to do. */
export function unfilledReason(error: UnfilledMergeFieldError, state: MergeState, what: HeldText = "email"): string {
  const step = state.template?.phases.flatMap((p) => p.steps).find((s) => s.id === error.stepId);
  const kind = step?.action === "stripe.create-invoice" ? "the invoice step" : "the step";
  const output = state.outputs[error.stepId];
  const why =
    output?.skipped === "by owner"
      ? "which was skipped"
      : output === undefined
        ? "which did not run (its condition was not met, or its wait was passed)"
        : `which has no ${error.token.split(".").at(-1)}`;
  const outcome =
    what === "email"
      ? "so nothing was sent: send the client what they need yourself and skip this email (a retry renders it again)"
      : "so it did not run: do what it does yourself and skip it (a retry runs it again)";
  return `This ${what} names ${kind} “${step?.name ?? error.stepId}” ({{${error.token}}}), ${why}, ${outcome}`;
}

/**
 * Renders a client email's texts, or runs a whole step (`render`, run again
 * on each retry); a merge field the journey cannot fill holds the row `name`
 * with the reason, nothing sent, until the owner retries (renders again) or
 * skips (StepSkippedError). Renders in the Workflow body: the texts depend
 * only on replayed state. The hold's durable steps are `<name>.merge-fields…`
 * (new names: a send that fails later holds under `name` in its own rounds).
 */
export async function renderOrHold<T>(
  run: JourneyRun,
  name: string,
  state: MergeState,
  render: () => T | Promise<T>,
  what: HeldText = "email",
): Promise<T> {
  const key = `${name}.merge-fields`;
  for (let round = 0; ; round++) {
    let unfilled: UnfilledMergeFieldError;
    try {
      return await render();
    } catch (error) {
      if (!(error instanceof UnfilledMergeFieldError) || !run.holdOnFailure) throw error;
      unfilled = error;
    }
    const reason = unfilledReason(unfilled, state, what);
    const label = stepLabel(run, name);
    await recordStep(run, `${key}.failed-${round}`, async () => {
      await markStepFinished(
        run.env.DB,
        run.journeyId,
        name,
        { status: "failed", error: `${unfilled.name}: ${reason}` },
        label,
      );
      return null;
    });
    const decision = await awaitOperator(run, { name, stepName: key, round, label, key }, reason);
    if (decision === "skip") throw new StepSkippedError(name);
  }
}
