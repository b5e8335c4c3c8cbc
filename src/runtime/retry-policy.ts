import { AppError, IntegrationError } from "../errors";
import { retryAfterMs } from "./platform";

/** A journey action's retry policy: how often, and how long between attempts. */

/** Attempts after the first before a step fails for good. */
export const RETRY_LIMIT = 6;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * The delay before retry `attempt + 1`: exponential backoff capped at 15
 * minutes, with equal jitter (half the step fixed, half drawn from `random`,
 * a number in [0, 1)), but never sooner than the provider's Retry-After.
 * Jitter spreads the retries of many journeys that met the same outage, so
 * they do not return to the provider together; the fixed half keeps the
 * backoff growing.
 */
export function retryDelayMs(error: unknown, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  const backoff = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(backoff, Math.min(retryAfterMs(error) ?? 0, MAX_DELAY_MS));
}

/** Unknown errors (network, bugs) are retried; known ones say whether they are. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof IntegrationError) return error.retryable;
  if (error instanceof AppError) return false;
  if (error instanceof Error && error.name === "ZodError") return false;
  return true;
}
