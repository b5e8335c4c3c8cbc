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
 * Classifies a stripe-node error once for every Stripe action. Stripe's own
 * `Stripe-Should-Retry` header wins over the status code.
 * https://docs.stripe.com/error-low-level#idempotency
 */
export function stripeError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode ?? 0;
  const headers = (error.headers ?? {}) as Record<string, string | undefined>;
  const shouldRetry = headers["stripe-should-retry"];
  const retryable = shouldRetry === "true" ? true : shouldRetry === "false" ? false : isRetryableStatus(status);
  return providerFailure({
    provider: "stripe",
    status,
    detail: error.message,
    retryable,
    requestId: error.requestId,
    retryAfterMs: parseRetryAfter(headers["retry-after"]),
    cause: error,
  });
}

/** Runs a Stripe call and rethrows its failure as an IntegrationError. */
export const callStripe = mapErrors(stripeError);
