import {
  markStepAwaiting,
  markStepFinished,
  type StepOutcome,
  type StepWait,
  stepAwaitingStatement,
  stepFinishedStatement,
} from "../store/journey-steps";
import { type JourneyRun, stepLabel } from "./run-step";

/*
 * The journey timeline's writes as a run makes them: the store's, with the
 * journey and the row's label (from the run's label source) filled in.
 */

/** Records a step's end, opening its row if it had none. */
export function markFinished(run: JourneyRun, name: string, outcome: StepOutcome): Promise<void> {
  return markStepFinished(run.env.DB, run.journeyId, name, outcome, stepLabel(run, name));
}

/** Marks a step as waiting for an event, the owner, or a time. */
export function markAwaiting(run: JourneyRun, name: string, wait: StepWait) {
  return markStepAwaiting(run.env.DB, run.journeyId, name, wait, stepLabel(run, name));
}

/*
 * The same writes as statements, for `updateJourneyStep`'s rows: written in
 * one batch with the journey's change (one round trip, applied together).
 */

/** `markFinished` as a statement. */
export function finishedRow(run: JourneyRun, name: string, outcome: StepOutcome): D1PreparedStatement {
  return stepFinishedStatement(run.env.DB, run.journeyId, name, outcome, stepLabel(run, name));
}

/** `markAwaiting` as a statement. */
export function awaitingRow(run: JourneyRun, name: string, wait: StepWait): D1PreparedStatement {
  return stepAwaitingStatement(run.env.DB, run.journeyId, name, wait, stepLabel(run, name));
}
