import type { z } from "zod";
import { recordStepAction, type StepAction } from "../connections/action-context";
import type { AppEnv } from "../env";
import { describeError, log } from "../log";
import { markStepFinished, stepFinishedStatement } from "../store/journey-steps";

/*
 * What an action's durable step writes of its outcome (src/runtime/run-step.ts):
 * the timeline row, and on success the action's bookkeeping with it.
 */

/** The journey an attempt runs in (a `JourneyRun` is one). */
export interface AttemptRun {
  env: AppEnv;
  workspaceId: string;
  journeyId: string;
}

/** The step's row: its name and the label it opens with. */
export interface StepRow {
  name: string;
  label: string | null;
}

/** A succeeded action's row and bookkeeping (its HubSpot writes journaled), in one D1 batch. */
export async function recordOutput<I extends z.ZodType, O>(
  { env, workspaceId, journeyId }: AttemptRun,
  { name, label }: StepRow,
  action: StepAction<I, O>,
  output: O,
): Promise<void> {
  const row = stepFinishedStatement(env.DB, journeyId, name, { status: "succeeded", result: output }, label);
  await recordStepAction(env, action, workspaceId, output, [row]);
}

/**
 * Records a failed attempt on the timeline. A failed write is logged, not
 * thrown: it must not replace the action's error, whose kind decides whether
 * the step is retried.
 */
export async function recordFailure(
  { env, workspaceId, journeyId }: AttemptRun,
  { name, label }: StepRow,
  error: unknown,
) {
  try {
    await markStepFinished(env.DB, journeyId, name, { status: "failed", error: describeError(error) }, label);
  } catch (write) {
    log.error("could not record a failed step", {
      tenant: workspaceId,
      journeyId,
      step: name,
      error: describeError(write),
    });
  }
}
