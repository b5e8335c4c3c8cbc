import { NonRetryableError } from "cloudflare:workflows";
import { describeError } from "../log";
import { markStepFinished, markStepStarted } from "../store/journey-steps";
import { isEngineAbort } from "./platform";
import { awaitOperator, type JourneyRun, StepSkippedError, stepLabel } from "./run-step";

/** Thrown inside a held step for a failure that retrying by itself cannot fix: it goes straight to the owner. */
export class StepBlockedError extends NonRetryableError {
  override name = "StepBlockedError";
}

/** How a held bookkeeping step shows on the timeline. */
export interface HoldOptions<T> {
  /** The timeline row (default: the step's name). */
  row?: string;
  /** When given, the row opens as running and ends with this result; without it a row appears only on failure. */
  result?: (output: T) => unknown;
}

/**
 * A bookkeeping step of the engine (D1, our own pages) that, like
 * `runAction`, holds the journey for the owner when it fails for good: the
 * row records the reason, retry runs it again as `<name>.retry-<n>`, skip
 * throws `StepSkippedError`. Round 0 runs under `name` exactly as
 * `recordStep` did, so journeys that already passed it replay its cached
 * output. Without `run.holdOnFailure` a failure ends the run as before.
 */
export async function holdingStep<T extends Rpc.Serializable<T>>(
  run: JourneyRun,
  name: string,
  fn: () => Promise<T>,
  options: HoldOptions<T> = {},
): Promise<T> {
  const row = options.row ?? name;
  const label = stepLabel(run, row);
  const { env, journeyId } = run;
  for (let round = 0; ; round++) {
    const stepName = round === 0 ? name : `${name}.retry-${round}`;
    try {
      return await run.step.do(
        stepName,
        { retries: { limit: 3, delay: "2 seconds", backoff: "exponential" } },
        async (ctx) => {
          if (options.result) await markStepStarted(env.DB, journeyId, row, ctx.attempt, label);
          try {
            const output = await fn();
            if (options.result)
              await markStepFinished(
                env.DB,
                journeyId,
                row,
                { status: "succeeded", result: options.result(output) },
                label,
              );
            return output;
          } catch (error) {
            // The reason is on the row from the first failed attempt: the owner sees it while retries go on.
            await markStepFinished(env.DB, journeyId, row, { status: "failed", error: describeError(error) }, label);
            throw error;
          }
        },
      );
    } catch (error) {
      // The engine stopping the run (a pause, a cancel) is not the step failing.
      if (isEngineAbort(error) || !run.holdOnFailure) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const decision = await awaitOperator(run, { name: row, stepName, round, label }, message);
      if (decision === "skip") throw new StepSkippedError(row);
    }
  }
}
