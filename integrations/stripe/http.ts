import type { z } from "zod";
import { IntegrationError, isRetryableStatus, mapErrors, parseRetryAfter, providerFailure } from "../core/errors";
import { type ProviderHttp, send } from "../core/http";
import { StripeApiError } from "./errors";

/**
 * The API version stripe-node 23.1.0 pins (its `ApiVersion`), which the
 * `stripe` types this client is checked against describe. Sent on every
 * request so the account's default version never changes a response's shape.
 * https://docs.stripe.com/api/versioning
 */
export const STRIPE_API_VERSION = "2026-10-28.endive";

/** Where and with which key a request goes: the API base (a sandbox in tests) and a Bearer key or token. */
export interface StripeTarget {
  apiBase: string;
  key: string;
}

/** Per-request options, as stripe-node names them. */
export interface StripeRequestOptions {
  /** https://docs.stripe.com/api/idempotent_requests */
  idempotencyKey?: string;
  /** Acts on a connected account (Connect). https://docs.stripe.com/connect/authentication */
  stripeAccount?: string;
}

/** Request parameters as Stripe's form encoding takes them: scalars, arrays and nested objects. */
export type StripeParams = object;

const stripeHttp: ProviderHttp = {
  provider: "stripe",
  requestIdHeader: "request-id",
  errorMessage: (body) => errorBody(body)?.message,
};

/**
 * Stripe's form encoding, as stripe-node sends it: nested objects as
 * `metadata[key]=v`, arrays indexed (`enabled_events[0]=…`), `undefined`
 * left out, `null` as an empty value (which unsets a field), brackets left
 * unencoded. https://docs.stripe.com/api/request-format (form-encoded bodies)
 */
export function formEncode(params: StripeParams): string {
  const pairs: string[] = [];
  const encode = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== "object") {
      pairs.push(`${encodePart(key)}=${encodePart(value === null ? "" : String(value))}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        encode(`${key}[${i}]`, item);
      });
    } else {
      for (const [k, v] of Object.entries(value)) encode(`${key}[${k}]`, v);
    }
  };
  for (const [key, value] of Object.entries(params)) encode(key, value);
  return pairs.join("&");
}

/** encodeURIComponent plus the characters qs also encodes; brackets stay readable (Stripe reads both). */
const encodePart = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%5B/g, "[")
    .replace(/%5D/g, "]");

/** The `error` object of a Stripe error body. https://docs.stripe.com/api/errors */
function errorBody(body: unknown): { message?: string; code?: string; type?: string } | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const text = (name: string) => {
    const value = (error as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  return { message: text("message"), code: text("code"), type: text("type") };
}

/**
 * One Stripe API request: Bearer auth, the pinned version, form-encoded
 * params (the query for GET and DELETE), the shared 60 s timeout (a network
 * failure or timeout is a retryable status 0). A non-2xx answer throws a
 * StripeApiError (classified by `callStripe`); a 2xx is checked against
 * `schema`, the fields we read.
 */
export async function stripeRequest<S extends z.ZodType>(
  target: StripeTarget,
  method: "GET" | "POST" | "DELETE",
  path: string,
  schema: S,
  params?: StripeParams,
  options?: StripeRequestOptions,
): Promise<z.output<S>> {
  const encoded = params ? formEncode(params) : "";
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.key}`,
    accept: "application/json",
    "stripe-version": STRIPE_API_VERSION,
  };
  if (options?.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  if (options?.stripeAccount) headers["stripe-account"] = options.stripeAccount;
  let url = `${target.apiBase}${path}`;
  let body: string | undefined;
  if (method === "POST") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = encoded;
  } else if (encoded) {
    url += `?${encoded}`;
  }
  const response = await send(stripeHttp, url, { method, headers, body });
  const text = await response.text().catch(() => "");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const requestId = response.headers.get("request-id") ?? undefined;
  if (!response.ok) {
    const error = errorBody(json);
    throw new StripeApiError({
      status: response.status,
      message: error?.message || response.statusText || "request failed",
      code: error?.code,
      type: error?.type,
      requestId,
      shouldRetry: response.headers.get("stripe-should-retry") ?? undefined,
      retryAfter: response.headers.get("retry-after") ?? undefined,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // A 2xx without the fields we read: retrying will not change it.
    throw new IntegrationError({
      provider: "stripe",
      httpStatus: response.status,
      message: `stripe sent an unexpected response: ${parsed.error.issues[0]?.path.join(".") || "body"} is invalid`,
      retryable: false,
      requestId,
    });
  }
  return parsed.data;
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
function stripeRetryable(error: StripeApiError): boolean {
  if (error.shouldRetry === "true") return true;
  if (error.shouldRetry === "false") return false;
  if (error.code !== undefined && RETRYABLE_CODES.has(error.code)) return true;
  return isRetryableStatus(error.status);
}

/** Classifies a Stripe API error once for every Stripe call; other errors pass through. */
export function stripeError(error: unknown): unknown {
  if (!(error instanceof StripeApiError)) return error;
  return providerFailure({
    provider: "stripe",
    status: error.status,
    detail: error.message,
    retryable: stripeRetryable(error),
    requestId: error.requestId,
    retryAfterMs: parseRetryAfter(error.retryAfter),
    cause: error,
  });
}

/** Runs a Stripe call and rethrows its failure as an IntegrationError. */
export const callStripe = mapErrors(stripeError);
