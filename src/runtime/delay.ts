import type { WorkflowStep } from "cloudflare:workers";
import { repurchased, skipDelay, type WaitTimeout, waitForFirstSignal } from "./protocol";

/** How a step's delay ended: it ran out, the owner skipped it, or the client bought again. */
export type DelayEnd = "elapsed" | "skipped" | "repurchased";

/**
 * The durable delay before the step `name` runs. Two signals end it early,
 * each its own per-step event type: the owner skipping it (`skip-delay-…`)
 * and a repurchase (`client-repurchased-…`, follow-up stops when the client
 * buys again). Steps: `<name>.delay` (the repurchase wait, its name kept from
 * before skips had their own signal), `<name>.skip-delay`, and
 * `<name>.delay-outcome` (which one ended it, recorded for replays).
 */
export async function awaitDelay(step: WorkflowStep, name: string, timeout: WaitTimeout): Promise<DelayEnd> {
  const ended = await waitForFirstSignal(
    step,
    `${name}.delay-outcome`,
    {
      repurchased: { stepName: `${name}.delay`, signal: repurchased(name) },
      skipped: { stepName: `${name}.skip-delay`, signal: skipDelay(name) },
    },
    { timeout },
  );
  return ended.timedOut ? "elapsed" : ended.signal;
}
