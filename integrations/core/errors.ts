/**
 * Error taxonomy shared by the integrations and the app. Known errors carry a
 * `code` and a response `status` and map to a response in `app.onError`;
 * anything else stays a 500 and is logged. `src/errors.ts` adds the
 * route-layer errors on the same `AppError` and re-exports these, so every
 * `instanceof` check sees one class.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503 = 400,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options);
    this.details = options?.details;
  }

  /** Structured detail for the caller (e.g. every problem of a refused template). */
  readonly details: unknown;
}

/** Malformed or invalid input from a caller (400). */
export class ValidationError extends AppError {
  override name = "ValidationError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_request", message, 400, options);
  }
}

/**
 * A webhook whose signature, timestamp or headers do not verify. The wire
 * gets a generic 401; `reason` goes to the log only.
 */
export class WebhookVerificationError extends AppError {
  override name = "WebhookVerificationError";
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super("invalid_signature", "Webhook signature verification failed", 401);
  }
}

/** A sign-in, session, ID token or CSRF check that failed: generic on the wire, the reason is logged. */
export class AuthenticationError extends AppError {
  override name = "AuthenticationError";
  constructor(
    readonly reason: string,
    message = "Sign-in required or expired",
    status: 401 | 403 = 401,
  ) {
    super(status === 403 ? "forbidden" : "unauthenticated", message, status);
  }
}

/** The named fields of an IntegrationError (stripe-node style: no positional arguments). */
export interface IntegrationFailure {
  provider: string;
  /** The provider's HTTP status; 0 when it was not reached. */
  httpStatus: number;
  message: string;
  /** Whether the Workflow should try again. */
  retryable: boolean;
  /** The provider's request id, for its support. */
  requestId?: string;
  /** The provider's Retry-After, in milliseconds. */
  retryAfterMs?: number;
  /** Request fields (e.g. HubSpot properties) the provider refused because they do not exist. */
  unknownFields?: readonly string[];
  cause?: unknown;
}

/**
 * A provider call that failed, classified from its HTTP response in one place
 * per provider. `retryable` drives the Workflow's retries; `retryAfterMs`
 * carries the provider's Retry-After.
 */
export class IntegrationError extends AppError {
  override name = "IntegrationError";
  readonly provider: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly unknownFields?: readonly string[];

  constructor(failure: IntegrationFailure) {
    super(`${failure.provider}_error`, failure.message, 502, { cause: failure.cause });
    this.provider = failure.provider;
    this.httpStatus = failure.httpStatus;
    this.retryable = failure.retryable;
    this.requestId = failure.requestId;
    this.retryAfterMs = failure.retryAfterMs;
    this.unknownFields = failure.unknownFields;
  }
}

/**
 * Builds the IntegrationError for a failed provider call; the message names
 * the provider and status; `retryAfterMs` carries Retry-After as data (a
 * Workflow step that passes it across the step boundary encodes it there:
 * src/runtime/platform.ts).
 */
export function providerFailure(failure: {
  provider: string;
  status: number;
  detail: string;
  retryable?: boolean;
  requestId?: string;
  retryAfterMs?: number;
  unknownFields?: readonly string[];
  cause?: unknown;
}): IntegrationError {
  return new IntegrationError({
    provider: failure.provider,
    httpStatus: failure.status,
    message: `${failure.provider} answered ${failure.status}: ${failure.detail.slice(0, 300)}`,
    retryable: failure.retryable ?? isRetryableStatus(failure.status),
    requestId: failure.requestId,
    retryAfterMs: failure.retryAfterMs,
    unknownFields: failure.unknownFields,
    cause: failure.cause,
  });
}

/** Wraps provider calls so an SDK's error comes out as an IntegrationError (via `classify`). */
export function mapErrors(classify: (error: unknown) => unknown) {
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classify(error);
    }
  };
}

/**
 * A connection that is missing or must be reconnected before steps can use it.
 * `tokenRejected`: the provider refused even a freshly refreshed token, so
 * whoever built the context must mark the connection for reconnecting.
 */
export class ConnectionError extends AppError {
  override name = "ConnectionError";
  readonly tokenRejected: boolean;
  constructor(
    readonly provider: string,
    message: string,
    options?: { tokenRejected?: boolean; cause?: unknown },
  ) {
    super("connection_required", message, 409, { cause: options?.cause });
    this.tokenRejected = options?.tokenRejected ?? false;
  }
}

/** Whether an HTTP status is worth retrying: 408, 425, 429 and 5xx (and 0: not reached). */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
