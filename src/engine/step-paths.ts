import { NonRetryableError } from "cloudflare:workflows";
import { hubspot } from "../../integrations/hubspot";
import { type JourneyRun, recordStep, runAction, StepSkippedError } from "../runtime/run-step";
import { markStepFinished } from "../store/journey-steps";
import { renderProcessText } from "./merge-context";
import { assertInvoiceFilled, renderOrHold } from "./merge-holds";
import type { StepContext } from "./step-executors";
import type { ProcessStep } from "./template-schema";
import { waitTimeoutOf } from "./wait-for-event";

/** An action whose failure the owner skipped resolves to null instead of skipping the whole step. */
export async function skippable<T>(action: Promise<T>): Promise<T | null> {
  try {
    return await action;
  } catch (error) {
    if (error instanceof StepSkippedError) return null;
    throw error;
  }
}

/**
 * The timeout path of a step whose event never came (`trigger.timeout`):
 * the deal's Clientflow status first when the step names one, then the
 * step's row closed with the outcome. "fail" ends the journey here; "skip"
 * and "end_unpaid" are returned for the interpreter to go on or to stop.
 */
export async function takeTimeoutPath(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: StepContext,
): Promise<"skip" | "end_unpaid"> {
  const timeout = waitTimeoutOf(step);
  const event = step.trigger.type === "event" ? step.trigger.event : "event";
  const missed = `no ${event} within ${timeout.after.amount} ${timeout.after.unit}${step.reminders.length ? " after the last reminder" : ""}`;
  if (timeout.dealStatus) {
    const row = `${name}.timeout-status`;
    const dealStatus = timeout.dealStatus;
    // A status write the owner skipped after it failed, or whose merge field cannot be filled (held at its
    // row, merge-holds.ts), is just not written: the outcome still follows.
    await skippable(
      renderOrHold(
        run,
        row,
        ctx,
        async () => {
          assertInvoiceFilled([dealStatus], ctx, step.id);
          const status = renderProcessText(dealStatus, ctx.data, ctx.outputs);
          const properties = { clientflow_status: status };
          return runAction(run, hubspot.actions.updateDeal, { dealId: ctx.deal.dealId, properties }, row);
        },
        "step",
      ),
    );
  }
  await recordStep(run, `${name}.timed-out`, async () => {
    await markStepFinished(
      run.env.DB,
      run.journeyId,
      name,
      timeout.outcome === "fail"
        ? { status: "failed", error: missed }
        : { status: "succeeded", result: { skipped: missed, outcome: timeout.outcome } },
    );
    return null;
  });
  if (timeout.outcome === "fail") throw new NonRetryableError(`${name}: ${missed}`);
  return timeout.outcome;
}
