import { attemptOf, type StepIdentity } from "../core/context";

/**
 * The Idempotency-Key of one Stripe write in this run of the step:
 * `journeyId:stepName:<part>:<attempt>`. Stripe saves the first answer to a
 * key, 500s included, and replays it to every request with that key for 24
 * hours, so a retry must send a new key; the action finds what an earlier
 * attempt made before it creates anything, so the new key cannot duplicate it.
 * Two requests of the same attempt (a race, a replayed step) still share a key.
 * https://docs.stripe.com/api/idempotent_requests
 */
export function attemptKey(ctx: StepIdentity, part?: string): string {
  return [ctx.idempotencyKey, part, attemptOf(ctx)].filter(Boolean).join(":");
}

/** The step's name (the idempotency key without the journey id), stored in metadata to find its objects again. */
export function stepOf(ctx: StepIdentity): string {
  const prefix = `${ctx.journeyId}:`;
  return ctx.idempotencyKey.startsWith(prefix) ? ctx.idempotencyKey.slice(prefix.length) : ctx.idempotencyKey;
}
