import Stripe from "stripe";
import { withAccessToken } from "../../src/connections/access-token";
import type { AppEnv } from "../../src/env";
import { isRetryableStatus, mapErrors, parseRetryAfter, providerFailure } from "../../src/errors";

/**
 * stripe-node on the fetch HTTP client. Its own retries are off: the Workflow
 * step owns retries (and honours Retry-After). STRIPE_API_BASE may point at a
 * local sandbox.
 */
function stripeSdk(env: AppEnv, key: string): Stripe {
  const base = new URL(env.STRIPE_API_BASE);
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
export function withStripe<T>(env: AppEnv, workspaceId: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
  return withAccessToken(env, workspaceId, "stripe", (key) => callStripe(() => fn(stripeSdk(env, key))));
}

/** A Stripe client on the app's own platform key (OAuth code exchange, key checks). */
export function platformStripe(env: AppEnv, key: string): Stripe {
  return stripeSdk(env, key);
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
