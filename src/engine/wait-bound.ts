import { awaitOperator, type JourneyRun, recordStep, StepSkippedError } from "../runtime/run-step";
import { markStepFinished } from "../store/journey-steps";

/**
 * How many received events may leave one event wait unfinished (another
 * invoice, a card edit that is not the awaited status) before the wait is
 * held for the owner. Every such event costs durable steps: its `wait-<n>`
 * and, for the card's own change, the `check-<n>` card read. A Workflow
 * instance may take at most 1,024 steps on Workers Free and 10,000 by
 * default on Workers Paid (configurable up to 25,000): Cloudflare Workflows
 * limits, "Maximum steps per Workflow"
 * (https://developers.cloudflare.com/workflows/reference/limits/). 50 events
 * cost at most 100 steps: a few such waits and the rest of a months-long
 * journey stay well inside the smaller limit, while 50 edits to one card
 * that never reach the status are no ordinary week but a busy card (or a
 * loop of automations) the owner should look at.
 */
export const MAX_UNMATCHED_EVENTS = 50;

/** The timeline row a held wait shows on (its own row: the step's row keeps waiting, its action's holds stay apart). */
export const waitRow = (name: string) => `${name}.wait`;

/**
 * Counts a received event that did not end the wait; after
 * MAX_UNMATCHED_EVENTS of them, holds the wait for the owner (the
 * hold/retry/skip of a failed step, on the row `<name>.wait`): retry waits
 * on with a fresh allowance, skip skips the step (`StepSkippedError`). The
 * count comes from the rounds the run took, so a replay holds where the
 * first run did. (A journey that took more unmatched rounds before this
 * bound existed is held at the bound when it replays: new steps, no
 * renamed ones.)
 */
export class UnmatchedEvents {
  private count = 0;
  private holds = 0;

  constructor(
    private readonly run: JourneyRun,
    private readonly name: string,
    private readonly awaited: string,
  ) {}

  /** One more event that left the wait unfinished. */
  async add(): Promise<void> {
    this.count += 1;
    if (this.count < MAX_UNMATCHED_EVENTS) return;
    await holdWait(this.run, this.name, this.awaited, this.holds);
    this.holds += 1;
    this.count = 0;
  }
}

async function holdWait(run: JourneyRun, name: string, awaited: string, round: number): Promise<void> {
  const row = waitRow(name);
  const label = `Waiting for ${awaited}`;
  const message =
    `${MAX_UNMATCHED_EVENTS} events came in while waiting for ${awaited}, and none was it. ` +
    "The wait stopped so it cannot use up the journey's step limit. Retry to wait on, or skip the step.";
  // The reason on the row first: a held row is a failed one (markStepHeld).
  await recordStep(run, `${row}.too-many-${round}`, async () => {
    await markStepFinished(run.env.DB, run.journeyId, row, { status: "failed", error: message }, label);
    return null;
  });
  const decision = await awaitOperator(run, { name: row, stepName: row, round, label }, message);
  if (decision === "skip") throw new StepSkippedError(row);
  await recordStep(run, `${row}.resumed-${round}`, async () => {
    await markStepFinished(run.env.DB, run.journeyId, row, { status: "succeeded", result: { resumed: "by owner" } });
    return null;
  });
}
