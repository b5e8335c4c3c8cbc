import { markStepAwaiting, markStepFinished, markStepWaiting } from "../store/journey-steps";
import { type JourneyRun, stepLabel } from "./run-step";

/*
 * The journey timeline's writes as a run makes them: the store's, with the
 * journey and the row's label (from the run's label source) filled in.
 */

/** Records a step's end, opening its row if it had none. */
export function markFinished(
  run: JourneyRun,
  name: string,
  outcome: Parameters<typeof markStepFinished>[3],
): Promise<void> {
  return markStepFinished(run.env.DB, run.journeyId, name, outcome, stepLabel(run, name));
}

/** Marks a step as waiting for an event, the owner, or a time. */
export function markAwaiting(run: JourneyRun, name: string, wait: Parameters<typeof markStepAwaiting>[3]) {
  return markStepAwaiting(run.env.DB, run.journeyId, name, wait, stepLabel(run, name));
}

/** Marks a step as waiting, without saying for what. */
export function markWaiting(run: JourneyRun, name: string): Promise<void> {
  return markStepWaiting(run.env.DB, run.journeyId, name, stepLabel(run, name));
}
