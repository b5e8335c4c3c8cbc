import type { WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import type { z } from "zod";
import { performStepAction, type StepAction } from "../connections/action-context";
import type { AppEnv } from "../env";
import { AppError, ConnectionError, IntegrationError } from "../errors";
import { describeError, log } from "../log";
import type { Provider } from "../store/connections";
import {
  priorAttempt,
  requestMark,
  stepFinishedStatement,
  stepHeldStatement,
  stepStartedStatement,
} from "../store/journey-steps";
import { type JourneyFields, updateJourney } from "../store/journeys";
import { isEngineAbort, RetryAfterError, retryAfterMs } from "./platform";
import { connectionRestored, operatorDecision, waitForSignal } from "./protocol";
import { isRetryable, RETRY_LIMIT, retryDelayMs } from "./retry-policy";
import { recordFailure, recordOutput } from "./step-outcome";

/** Re-exported for the callers and tests that know it from here. */
export { retryDelayMs };

/** Where a step runs. */
export interface JourneyRun {
  env: AppEnv;
  step: WorkflowStep;
  workspaceId: string;
  journeyId: string;
  /**
   * When set, an action that fails for good does not end the journey: the
   * step is recorded as failed, the journey as "failed", and the Workflow
   * waits for the owner to retry or skip it (the `operatorDecision` signal).
   */
  holdOnFailure?: boolean;
  /**
   * The display label a step row opens with, by step name. The engine sets
   * it once it has loaded the template; a name it does not know (or no
   * source) opens its row without one.
   */
  labels?: StepLabels;
  /** The rows this run's actions recorded as succeeded, by name (filled as `runAction` returns, on a replay too). */
  recorded?: Set<string>;
  /**
   * The action `runAction` returned last: its row's name and when its durable step finished (from the step's
   * cached output, so a replay sees the same time; absent for a step cached before the time was kept).
   */
  lastAction?: { name: string; at?: string };
}

/** Gives a step name its display label ("Invoice the deposit — Stripe customer"), if it knows one. */
export type StepLabels = (name: string) => string | null;

/** The label a row for `name` opens with in this run. */
export const stepLabel = (run: JourneyRun, name: string): string | null => run.labels?.(name) ?? null;

/** How long a journey held on a failed step waits for the owner's decision. */
export const OPERATOR_TIMEOUT = "30 days";

/**
 * Thrown in the Workflow body (never inside a step) when the owner skipped a
 * failed action: the caller that runs the surrounding process step catches it
 * and goes on without the action's output.
 */
export class StepSkippedError extends Error {
  override name = "StepSkippedError";
  constructor(readonly step: string) {
    super(`${step}: skipped by the owner`);
  }
}

/** How long a paused journey waits for its owner to reconnect a provider. */
const RECONNECT_TIMEOUT = "30 days";

/** A step's cached outcome: its output and when it finished, or the provider that must be reconnected first. */
type Outcome<O> = { ok: true; value: O; at?: string } | { ok: false; reconnect: Provider; message: string };

/**
 * Runs one action as a durable step named `name` (default: the action id).
 * Records each attempt on the journey timeline, retries with backoff that
 * honours Retry-After, and stops at once on non-retryable errors. A step
 * whose connection needs reconnecting does not retry and does not fail the
 * journey: the journey pauses until the owner reconnects, then runs the step
 * again (as `<name>#reconnect-<n>`, step names being permanent). With
 * `run.holdOnFailure`, a step that fails for good waits for the owner: retry
 * runs it again as `<name>.retry-<n>` with the same idempotency key (and a new
 * `attempt`, see ActionContext); skip throws `StepSkippedError`. The step's
 * row opens with `label` (default: the run's label source).
 */
export async function runAction<I extends z.ZodType, O extends Rpc.Serializable<O>>(
  run: JourneyRun,
  action: StepAction<I, O>,
  input: z.input<I>,
  name: string = action.id,
  label: string | null = stepLabel(run, name),
): Promise<O> {
  let stepName = name;
  for (let round = 0; ; round++) {
    const outcome = await attemptOrHold(run, action, input, { name, stepName, round, label });
    if (outcome.ok) {
      run.recorded?.add(name);
      run.lastAction = { name, at: outcome.at };
      return outcome.value as O;
    }
    if ("failed" in outcome) {
      const decision = await awaitOperator(run, { name, stepName, round, label }, outcome.failed);
      if (decision === "skip") throw new StepSkippedError(name);
      stepName = `${name}.retry-${round + 1}`;
      continue;
    }
    await updateJourneyStep(run, `journey.pause#${name}#${round}`, { status: "paused", pausedFor: outcome.reconnect });
    const restored = await waitForSignal(
      run.step,
      `${name}.await-reconnect-${round}`,
      connectionRestored(outcome.reconnect),
      { timeout: RECONNECT_TIMEOUT },
    );
    if (restored.timedOut) {
      throw new NonRetryableError(`${name}: ${outcome.message} (not reconnected within ${RECONNECT_TIMEOUT})`);
    }
    await updateJourneyStep(run, `journey.resume#${name}#${round}`, { status: "running" });
    stepName = `${name}#reconnect-${round + 1}`;
  }
}

/** Which run of a step: its row's name and label, this round's step name, the round. */
export interface Round {
  name: string;
  stepName: string;
  round: number;
  label: string | null;
  /** Names the hold's durable steps when not `name`: a row `runAction` may also hold (rounds counted apart). */
  key?: string;
}

/** One attempt; with `holdOnFailure`, a failure for good comes back as `{ failed }` instead of ending the run. */
async function attemptOrHold<I extends z.ZodType, O>(
  run: JourneyRun,
  action: StepAction<I, O>,
  input: z.input<I>,
  at: Round,
): Promise<Outcome<O> | { ok: false; failed: string }> {
  if (!run.holdOnFailure) return attempt(run, action, input, at);
  try {
    return await attempt(run, action, input, at);
  } catch (error) {
    // The engine stopping the run (a pause, a cancel) is not the step failing.
    if (isEngineAbort(error)) throw error;
    return { ok: false, failed: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Holds the journey on a step that failed for good until the owner retries
 * or skips it (or the wait times out, which ends the journey as failed).
 */
export async function awaitOperator(run: JourneyRun, { name, round, label, key = name }: Round, message: string) {
  await updateJourneyStep(run, `journey.hold#${key}#${round}`, { status: "failed" }, () => [
    stepHeldStatement(run.env.DB, run.journeyId, name, label),
  ]);
  // A pause or cancel while the step is held stops the engine (thrown): that is not the wait timing out.
  const decision = await waitForSignal(run.step, `${key}.await-operator-${round}`, operatorDecision(name), {
    timeout: OPERATOR_TIMEOUT,
  });
  if (decision.timedOut) {
    throw new NonRetryableError(`${message} (neither retried nor skipped within ${OPERATOR_TIMEOUT})`);
  }
  const action = decision.payload.action;
  log.info("owner decided on a failed step", { tenant: run.workspaceId, journeyId: run.journeyId, step: name, action });
  const skipped = { status: "succeeded", result: { skipped: "by owner" } } as const;
  await updateJourneyStep(run, `journey.${action}#${key}#${round}`, { status: "running" }, () =>
    action === "skip" ? [stepFinishedStatement(run.env.DB, run.journeyId, name, skipped, label)] : [],
  );
  return action;
}

/**
 * One attempt as one durable step, `stepName`: it runs the action, then
 * writes the timeline row and the action's bookkeeping from its output in one
 * D1 batch. If that write fails, the step still returns the output, flagged
 * `record`, and `<stepName>.record` writes it: a failed D1 write retries the
 * write, never the provider call (an email is not sent twice). An attempt
 * that recorded its output and died before the engine kept it leaves its row
 * `succeeded` with that output: the re-run returns it and calls nothing.
 * Failures are recorded inside the step: nothing happened that a retry could
 * repeat.
 */
async function attempt<I extends z.ZodType, O>(
  run: JourneyRun,
  action: StepAction<I, O>,
  input: z.input<I>,
  { name, stepName, round, label }: Round,
): Promise<Outcome<O>> {
  const { env, journeyId, workspaceId } = run;
  const stored = await run.step.do(
    stepName,
    {
      retries: { limit: RETRY_LIMIT, delay: ({ ctx, error }) => retryDelayMs(error, ctx.attempt) },
      timeout: "5 minutes",
    },
    async (ctx) => {
      // A re-run: an earlier attempt may have finished (and recorded) its action, or died unrecorded (a crash, the
      // step's timeout) once its provider request had left, its side effect unknown. One that died before the
      // request (a token refresh, the rate-budget wait) sent nothing. The row is this journey's (its id is the
      // Workflow instance's), and this round's: a new round starts after a recorded failure.
      const prior = ctx.attempt > 1 ? await priorAttempt(env.DB, journeyId, name) : null;
      if (prior?.succeeded) return JSON.stringify({ ok: true, value: prior.result, at: new Date().toISOString() });
      const priorAttemptUnknown = prior?.inDoubt === true;
      // The row opens before the provider call, in the round trip that reads the connection: if that fails,
      // nothing was sent and the retry is harmless.
      const opening = [stepStartedStatement(env.DB, journeyId, name, ctx.attempt, label)];
      try {
        // Every real re-run (a Workflow retry, the owner's retry, a run after a reconnect) gets its own attempt.
        const attempt = `r${round}a${ctx.attempt}`;
        const identity = {
          workspaceId,
          journeyId,
          idempotencyKey: `${journeyId}:${name}`,
          attempt,
          priorAttemptUnknown,
          requestStarting: requestMark(env.DB, journeyId, name),
        };
        const output = await performStepAction(env, action, identity, input, opening);
        // `record`: the next step writes what this one could not (never thrown: the action has happened).
        const recorded = await recordOutput(run, { name, label }, action, output).then(
          () => true,
          (error: unknown) => {
            log.warn("step output left to its record step", {
              tenant: workspaceId,
              journeyId,
              step: name,
              reason: describeError(error),
            });
            return false;
          },
        );
        const at = new Date().toISOString();
        return JSON.stringify(
          recorded ? { ok: true, value: output, at } : { ok: true, value: output, at, record: true },
        );
      } catch (error) {
        await recordFailure(run, { name, label }, error);
        if (error instanceof ConnectionError) {
          log.warn("step needs a reconnect", { tenant: workspaceId, journeyId, step: name, provider: error.provider });
          return JSON.stringify({ ok: false, reconnect: error.provider, message: error.message });
        }
        const retryable = isRetryable(error);
        log.warn("step failed", {
          tenant: workspaceId,
          journeyId,
          step: name,
          attempt: ctx.attempt,
          retryable,
          provider: error instanceof IntegrationError ? error.provider : undefined,
          status: error instanceof IntegrationError ? error.httpStatus : undefined,
          code: error instanceof AppError ? error.code : undefined,
        });
        if (!retryable || ctx.attempt > RETRY_LIMIT) throw new NonRetryableError(`${name}: ${describeError(error)}`);
        // The retry policy sees this error flattened to a message: its Retry-After goes along, encoded.
        const wait = retryAfterMs(error);
        throw wait === undefined ? error : new RetryAfterError(wait, describeError(error), { cause: error });
      }
    },
  );
  const outcome = JSON.parse(stored) as Outcome<O> & { record?: true };
  // Guarded by the cached output, not by this code: a journey replaying a step done before this
  // deploy has its row and journal already, and must not have them written again.
  if (outcome.ok && outcome.record) {
    const value = outcome.value;
    await recordStep(run, `${stepName}.record`, async () => {
      await recordOutput(run, { name, label }, action, value);
      return null;
    });
  }
  return outcome;
}

/** A bookkeeping step (D1 only) with a stable name. */
export function recordStep<T extends Rpc.Serializable<T>>(run: JourneyRun, name: string, fn: () => Promise<T>) {
  return run.step.do(name, { retries: { limit: 3, delay: "2 seconds", backoff: "exponential" } }, fn);
}

/**
 * A bookkeeping step that updates the journey row, and writes the statements
 * `rows` makes (the step row that goes with the change) in the same batch:
 * one D1 round trip, applied together.
 */
export function updateJourneyStep(
  run: JourneyRun,
  name: string,
  fields: JourneyFields,
  rows?: () => readonly D1PreparedStatement[],
) {
  return recordStep(run, name, async () => {
    await updateJourney(run.env.DB, run.journeyId, fields, rows?.() ?? []);
    return null;
  });
}
