import { NonRetryableError } from "cloudflare:workflows";
import { moneyReversed, waitForSignal } from "../runtime/protocol";
import { REVERSAL_KINDS, type ReversalKind } from "../runtime/reversal-kinds";
import { type JourneyRun, recordStep } from "../runtime/run-step";
import { listReversals } from "../store/journey-reversals";
import { markStepAwaiting, markStepFinished } from "../store/journey-steps";
import { reversalEffects } from "./reversal-rules";
import type { ProcessTemplate } from "./template-schema";

/** How long one round of the hold waits for a resolution before it looks again. */
const HOLD_ROUND = "30 days";
/** Rounds before the journey gives up (a stale wake-up uses one): about two years. */
const MAX_ROUNDS = 24;

const isKind = (kind: string): kind is ReversalKind => (REVERSAL_KINDS as readonly string[]).includes(kind);

/**
 * Holds the journey before a phase while a reversal whose rule says `hold`
 * is open (docs/reversals.md). Intake records reversals and resolutions in
 * `journey_reversals` and sends `stripe-reversal` as a wake-up; each round
 * re-reads the rows (permanent steps `phase.<id>.reversal-hold.check-<n>`)
 * and waits for the next wake-up (`…wait-<n>`), so a signal left over from
 * an earlier event costs a round, never a wrong release.
 *
 * A template without `reversals` (every version saved before the section
 * existed) runs no step here, so journeys pinned to one replay as before.
 */
export async function holdForReversals(run: JourneyRun, phase: string, template: ProcessTemplate): Promise<void> {
  const rules = template.reversals;
  if (!rules) return;
  const name = `phase.${phase}.reversal-hold`;
  const db = run.env.DB;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const held = await recordStep(run, `${name}.check-${round}`, async () => {
      const open = (await listReversals(db, run.journeyId)).filter((r) => r.resolvedAt === null);
      const holding = open.filter((r) => isKind(r.kind) && reversalEffects(rules, r.kind)?.hold === true);
      const kinds = holding.map((r) => r.kind);
      if (kinds.length > 0)
        await markStepAwaiting(db, run.journeyId, name, { waitingFor: "stripe.reversal" }, "Held: money reversed");
      else if (round > 0)
        await markStepFinished(db, run.journeyId, name, { status: "succeeded", result: { released: true } });
      return kinds;
    });
    if (held.length === 0) return;
    // Any outcome, a resolution, a stale wake-up or the round's end, leads to the next check.
    await waitForSignal(run.step, `${name}.wait-${round}`, moneyReversed, { timeout: HOLD_ROUND });
  }
  throw new NonRetryableError(`${name}: money reversals still open after ${MAX_ROUNDS} rounds of ${HOLD_ROUND}`);
}

/**
 * Whether an open reversal's rule stops reminders: checked as the permanent
 * step `<reminder>.reversal-check` just before a reminder would be sent, so a
 * client whose payment was refunded, disputed or voided is not chased. Runs
 * no step for a template without `reversals`.
 */
export async function remindersStopped(
  run: JourneyRun,
  reminder: string,
  template: ProcessTemplate | undefined,
): Promise<boolean> {
  const rules = template?.reversals;
  if (!rules) return false;
  return recordStep(run, `${reminder}.reversal-check`, async () => {
    const open = (await listReversals(run.env.DB, run.journeyId)).filter((r) => r.resolvedAt === null);
    const stopping = open.some((r) => isKind(r.kind) && reversalEffects(rules, r.kind)?.stopReminders === true);
    if (stopping)
      await markStepFinished(run.env.DB, run.journeyId, reminder, {
        status: "succeeded",
        result: { skipped: "reminders stopped by a money reversal" },
      });
    return stopping;
  });
}
