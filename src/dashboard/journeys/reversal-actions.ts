import type { AppEnv } from "../../env";
import { AppError, NotFoundError } from "../../errors";
import { log } from "../../log";
import { moneyReversed } from "../../runtime/protocol";
import { REVERSAL_KINDS, REVERSAL_LABELS, type ReversalKind } from "../../runtime/reversal-kinds";
import { signalJourney } from "../../runtime/signal";
import { listReversals, resolveReversalByOwner } from "../../store/journey-reversals";
import { markStepFinished } from "../../store/journey-steps";
import { ownedJourney } from "./journey-actions";

const isKind = (kind: string): kind is ReversalKind => (REVERSAL_KINDS as readonly string[]).includes(kind);

/** What the owner's release answers (the JSON API's `ReversalResolved`). */
export interface ReversalResolved {
  journeyId: string;
  reversalId: string;
  resolvedBy: "owner";
  /** How the journey took the wake-up: `signalled`, or why not (a finished journey needs none). */
  outcome: string;
}

/**
 * The owner marks an open money reversal resolved (docs/reversals.md): a
 * refund, a voided invoice or a lost dispute has no Stripe event that ends
 * it, so only the owner can say the journey may go on. Records
 * `resolved_by = 'owner'`, writes the timeline row
 * `reversal.<eventId>.resolved`, and wakes the journey: a phase hold
 * re-reads the reversals and goes on when none holding is left open.
 * 404 for a reversal not of this journey, 409 for one already resolved.
 */
export async function resolveReversal(
  env: AppEnv,
  workspaceId: string,
  journeyId: string,
  reversalId: string,
): Promise<ReversalResolved> {
  const journey = await ownedJourney(env, workspaceId, journeyId);
  const reversal = (await listReversals(env.DB, journey.id)).find((r) => r.eventId === reversalId);
  if (!reversal) throw new NotFoundError("unknown_reversal", "No such money reversal on this journey");
  const resolved = new AppError("invalid_state", "This money reversal is already resolved", 409);
  if (reversal.resolvedAt !== null) throw resolved;
  // A second click racing the first: only one resolves it.
  if (!(await resolveReversalByOwner(env.DB, journey.id, reversal.eventId))) throw resolved;
  const kind = isKind(reversal.kind) ? reversal.kind : null;
  const label = kind ? REVERSAL_LABELS[kind] : "Money reversal";
  const result = { kind: reversal.kind, invoiceId: reversal.invoiceId, resolvedBy: "owner", changed: "hold released" };
  await markStepFinished(
    env.DB,
    journey.id,
    `reversal.${reversal.eventId}.resolved`,
    { status: "succeeded", result },
    `${label}: marked resolved by you`,
  );
  let outcome = "journey_finished";
  if (kind && ["running", "waiting", "paused"].includes(journey.status)) {
    const payload = { kind, state: "resolved", invoiceId: reversal.invoiceId, eventId: reversal.eventId } as const;
    ({ outcome } = await signalJourney(env, journey.id, moneyReversed, payload, workspaceId));
  }
  log.info("money reversal resolved by owner", { tenant: workspaceId, journeyId: journey.id, eventId: reversalId });
  return { journeyId: journey.id, reversalId: reversal.eventId, resolvedBy: "owner", outcome };
}
