import Stripe from "stripe";
import { type ConnectionContext, withToken } from "../core/context";
import { isRetryableStatus, mapErrors, parseRetryAfter, providerFailure } from "../core/errors";

/**
 * stripe-node on the fetch HTTP client. Its own retries are off: the Workflow
 * step owns retries (and honours Retry-After). `apiBase` may point at a
 * local sandbox.
 */
function stripeSdk(apiBase: string, key: string): Stripe {
  const base = new URL(apiBase);
  return new Stripe(key, {
    httpClient: Stripe.createFetchHttpClient((input, init) => fetch(input, init)),
    maxNetworkRetries: 0,
    host: base.hostname,
    port: base.port || (base.protocol === "http:" ? 80 : 443),
    protocol: base.protocol === "http:" ? "http" : "https",
    telemetry: false,
  });
}

/**
 * Runs Stripe calls for the workspace with its current credential (OAuth
 * access token or pasted restricted key); a 401 refreshes once.
 */
export function withStripe<T>(ctx: ConnectionContext<"stripe">, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
  return withToken(ctx, (key) => callStripe(() => fn(stripeSdk(ctx.apiBase, key))));
}

/** A Stripe client on a key outside any connection (checking a pasted restricted key). */
export function platformStripe(apiBase: string, key: string): Stripe {
  return stripeSdk(apiBase, key);
}

/**
 * Stripe error codes that name a passing condition: another request holds
 * the object's lock (409 `lock_timeout`) or the account's rate limit (429
 * `rate_limit`). Other 409s (an idempotency key reused with other
 * parameters) and 4xx codes are final.
 * https://docs.stripe.com/error-codes#lock-timeout, https://docs.stripe.com/rate-limits
 */
const RETRYABLE_CODES = new Set(["lock_timeout", "rate_limit"]);

/**
 * Whether to retry a Stripe failure: Stripe's own `Stripe-Should-Retry`
 * header wins when present (stripe-node's `_shouldRetry` reads it first),
 * then the documented codes, then the status.
 * https://docs.stripe.com/error-low-level#idempotency
 */
function stripeRetryable(status: number, code: string | undefined, shouldRetry: string | undefined): boolean {
  if (shouldRetry === "true") return true;
  if (shouldRetry === "false") return false;
  if (code !== undefined && RETRYABLE_CODES.has(code)) return true;
  return isRetryableStatus(status);
}

/** Classifies a stripe-node error once for every Stripe action. */
export function stripeError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode ?? 0;
  const headers = (error.headers ?? {}) as Record<string, string | undefined>;
  return providerFailure({
    provider: "stripe",
    status,
    detail: error.message,
    retryable: stripeRetryable(status, error.code, headers["stripe-should-retry"]),
    requestId: error.requestId,
    retryAfterMs: parseRetryAfter(headers["retry-after"]),
    cause: error,
  });
}

/** Runs a Stripe call and rethrows its failure as an IntegrationError. */
export const callStripe = mapErrors(stripeError);
