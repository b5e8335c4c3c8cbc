import Stripe from "stripe";
import type { AppEnv } from "../../src/env";
import { isRetryableStatus, mapErrors, parseRetryAfter, providerFailure } from "../../src/errors";
import { stripeSecretKey } from "./auth";

/**
 * stripe-node on the fetch HTTP client. Its own retries are off: the Workflow
 * step owns retries (and honours Retry-After). STRIPE_API_BASE may point at a
 * local sandbox.
 */
export async function stripeClient(env: AppEnv, workspaceId: string): Promise<Stripe> {
  const base = new URL(env.STRIPE_API_BASE);
  return new Stripe(await stripeSecretKey(env, workspaceId), {
    httpClient: Stripe.createFetchHttpClient((input, init) => fetch(input, init)),
    maxNetworkRetries: 0,
    host: base.hostname,
    port: base.port || (base.protocol === "http:" ? 80 : 443),
    protocol: base.protocol === "http:" ? "http" : "https",
    telemetry: false,
  });
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
