/** The named fields of a Stripe error answer (stripe-node style: no positional arguments). */
export interface StripeApiFailure {
  /** The HTTP status Stripe answered. */
  status: number;
  /** `error.message` of the body. https://docs.stripe.com/api/errors */
  message: string;
  /** `error.code` (`lock_timeout`, `resource_missing`, …). https://docs.stripe.com/error-codes */
  code?: string;
  /** `error.type` (`invalid_request_error`, `api_error`, …). */
  type?: string;
  requestId?: string;
  /** The `Stripe-Should-Retry` header: Stripe's own verdict, when it gives one. */
  shouldRetry?: string;
  /** The `Retry-After` header, as sent. */
  retryAfter?: string;
}

/**
 * A non-2xx answer from Stripe, before classification: `callStripe` turns it
 * into an IntegrationError; code that must tell a 401, 403 or 404 apart
 * (a pasted key's check, an endpoint already deleted) reads it first.
 */
export class StripeApiError extends Error {
  override name = "StripeApiError";
  readonly status: number;
  readonly code?: string;
  readonly type?: string;
  readonly requestId?: string;
  readonly shouldRetry?: string;
  readonly retryAfter?: string;

  constructor(failure: StripeApiFailure) {
    super(failure.message);
    this.status = failure.status;
    this.code = failure.code;
    this.type = failure.type;
    this.requestId = failure.requestId;
    this.shouldRetry = failure.shouldRetry;
    this.retryAfter = failure.retryAfter;
  }
}
