import { type ReversalEffects, reversalEffects } from "../engine/reversal-rules";
import { getTemplate } from "../engine/templates";
import type { AppEnv } from "../env";
import { moneyReversed } from "../runtime/protocol";
import { REVERSAL_LABELS, type ReversalKind, type ReversalState } from "../runtime/reversal-kinds";
import { signalJourney } from "../runtime/signal";
import { openReversal, resolveReversals } from "../store/journey-reversals";
import { markStepFinished } from "../store/journey-steps";
import type { Journey } from "../store/journeys";
import { reversalTasks } from "../tasks/reversal-notice";
import { type DispatchContext, startTasksOnce } from "./dispatch-context";
import type { DispatchResult } from "./normalized";

/** A reversal linked to one of the journey's own invoices. */
export interface LinkedReversal {
  kind: ReversalKind;
  state: ReversalState;
  /** The Stripe object the event is about: a resolution matches the reversal of the same object. */
  objectId: string;
  invoiceId: string;
  partial?: boolean;
  /** A sentence the owner's email adds (a failed instalment: what the client was sent), so one email says it all. */
  ownerNote?: string;
}

/** The kinds a resolution ends: a dispute won ends the dispute, a paid invoice its failed instalment or uncollectible mark. */
const RESOLVES: Partial<Record<ReversalKind, readonly ReversalKind[]>> = {
  dispute: ["dispute"],
  // Paid after all: Stripe lets an uncollectible invoice be paid (a void one cannot be).
  instalment_failed: ["instalment_failed", "uncollectible"],
  uncollectible: ["instalment_failed", "uncollectible"],
};

/** The rules of the template the journey pinned (its current choice if it has not pinned one yet). */
async function rulesOf(
  env: AppEnv,
  journey: Journey,
  r: Pick<LinkedReversal, "kind" | "partial">,
): Promise<ReversalEffects | null> {
  const pinned = await getTemplate(
    env.DB,
    journey.workspaceId,
    journey.templateVersion ?? undefined,
    journey.templateId ?? undefined,
  );
  return reversalEffects(pinned.template.reversals, r.kind, { partial: r.partial });
}

/** Whether the pinned rules email the owner about this kind (then other notices of the same event leave it out). */
export async function rulesTellOwner(env: AppEnv, journey: Journey, kind: ReversalKind): Promise<boolean> {
  return (await rulesOf(env, journey, { kind }))?.tellOwner === true;
}

/**
 * Records a reversal of one of the journey's own invoices and tells the
 * journey (docs/reversals.md): the reversal row its phase hold reads, a
 * timeline row `reversal.<eventId>` with the event and what the pinned
 * template's rules answer, and the `stripe-reversal` signal. A resolution
 * closes the open reversal of the same object. Idempotent: a redelivered or
 * replayed event finds its rows and sends a signal the journey reads as a
 * wake-up only (the hold re-reads the rows).
 *
 * A finished journey hears nothing: a cancelled journey voids its own
 * invoices, and their `invoice.voided` lands here.
 */
export async function dispatchReversal(
  env: AppEnv,
  ctx: DispatchContext,
  journey: Journey,
  r: LinkedReversal,
): Promise<DispatchResult> {
  if (!["running", "waiting", "paused"].includes(journey.status))
    return { outcome: "journey_finished", journeyId: journey.id };
  const name = `reversal.${ctx.eventId}`;
  if (r.state === "resolved") {
    const kinds = RESOLVES[r.kind] ?? [];
    const ids = { journeyId: journey.id, objectId: r.objectId, kinds, resolvedBy: ctx.eventId };
    if ((await resolveReversals(env.DB, ids)) === 0) return { outcome: "nothing_open", journeyId: journey.id };
    const result = { kind: r.kind, state: r.state, invoiceId: r.invoiceId, changed: "hold released" };
    await markStepFinished(
      env.DB,
      journey.id,
      name,
      { status: "succeeded", result },
      `${REVERSAL_LABELS[r.kind]}: resolved`,
    );
  } else {
    const effects = await rulesOf(env, journey, r);
    // A dispute lost replaces the open dispute: one reversal of the charge stays open, under its final kind.
    if (r.kind === "dispute_lost")
      await resolveReversals(env.DB, {
        journeyId: journey.id,
        objectId: r.objectId,
        kinds: ["dispute"],
        resolvedBy: ctx.eventId,
      });
    // Only a reversal the rules answer is kept open: the phase hold reads these rows (a partial refund a rule
    // ignores would otherwise hold the journey).
    if (effects)
      await openReversal(env.DB, {
        ...r,
        workspaceId: journey.workspaceId,
        journeyId: journey.id,
        eventId: ctx.eventId,
      });
    const result = { kind: r.kind, state: r.state, invoiceId: r.invoiceId, partial: r.partial, rules: effects };
    await markStepFinished(env.DB, journey.id, name, { status: "succeeded", result }, REVERSAL_LABELS[r.kind]);
    if (!effects) return { outcome: "no_rule", journeyId: journey.id };
    const tasks = await reversalTasks(env, journey, ctx.eventId, r.invoiceId, effects, r.ownerNote);
    if (tasks) await startTasksOnce(env, ctx, `reversal:${ctx.eventId}`, tasks, "notified");
  }
  const payload = { kind: r.kind, state: r.state, invoiceId: r.invoiceId, eventId: ctx.eventId, partial: r.partial };
  const { outcome } = await signalJourney(env, journey.id, moneyReversed, payload, journey.workspaceId);
  return { outcome, journeyId: journey.id };
}
