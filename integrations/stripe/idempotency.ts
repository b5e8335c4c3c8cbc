import { attemptOf, type StepIdentity } from "../core/context";
import { AppError, IntegrationError } from "../core/errors";

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

/**
 * The Idempotency-Key of a Stripe write that must not be repeated within one
 * round of the step (`journeyId:stepName:<part>:r<round>`): the same key on
 * every Workflow attempt, a new one only when the owner retries. Stripe saves
 * the first answer to a key and replays it for 24 hours (a step's automatic
 * retries end within hours), so an attempt whose answer was lost gets the
 * saved success back instead of repeating the write.
 * https://docs.stripe.com/api/idempotent_requests
 */
export function roundKey(ctx: StepIdentity, part: string): string {
  const round = /^r(\d+)a\d+$/.exec(attemptOf(ctx))?.[1] ?? "0";
  return `${ctx.idempotencyKey}:${part}:r${round}`;
}

/**
 * Whether a Stripe answer leaves the write's outcome unknown for good: a 5xx
 * may come after the work was done, and Stripe replays it to the same key.
 * A dropped connection (status 0) is not: the retry under the same key gets
 * Stripe's saved answer, whatever it was.
 */
export const outcomeUnknown = (error: unknown): boolean => error instanceof IntegrationError && error.httpStatus >= 500;

/**
 * Stripe answered an invoice send with a 5xx (first or replayed): it may
 * have emailed the invoice. Not retryable: under the same key Stripe replays
 * the 5xx, under a new one it may email again; the step is held for the
 * owner, whose Retry sends (a new round, a new key) and whose Skip does not.
 */
export class InvoiceMaybeSentError extends AppError {
  override name = "InvoiceMaybeSentError";
  constructor(invoice: string, client: string, cause: unknown) {
    super(
      "invoice_maybe_sent",
      `Stripe may already have emailed invoice ${invoice} to ${client}; check the invoice's activity in Stripe, then Skip or Retry`,
      502,
      { cause },
    );
  }
}
