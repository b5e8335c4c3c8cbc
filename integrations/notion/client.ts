import { APIErrorCode, APIResponseError, Client, isHTTPResponseError, RequestTimeoutError } from "@notionhq/client";
import { type ConnectionContext, permitted, withToken } from "../core/context";
import { IntegrationError, mapErrors, parseRetryAfter, providerFailure } from "../core/errors";
import { REQUEST_TIMEOUT_MS, timedOut } from "../core/http";

/**
 * Notion's error codes that mean "try again": a write that collided with
 * another (409 `conflict_error`), the rate limit (429 `rate_limited`, with
 * Retry-After), and Notion being down or overloaded (500, 503
 * `service_unavailable`, 504, 529 `service_overload`). Every other code
 * (validation, not found, restricted, unauthorized) is final.
 * https://developers.notion.com/reference/status-codes; codes from the SDK's `APIErrorCode`.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  APIErrorCode.ConflictError,
  APIErrorCode.RateLimited,
  APIErrorCode.InternalServerError,
  APIErrorCode.ServiceUnavailable,
  APIErrorCode.ServiceOverload,
  APIErrorCode.GatewayTimeout,
]);

/**
 * How long the SDK itself waits for a request: longer than a journey step's
 * 5-minute attempt, so it never fires. The SDK's own timeout (60 s unless
 * told) races the `fetch` it is given without aborting it, and that `fetch`
 * includes the rate-budget wait: a request whose permit came after 60 s
 * still left once the SDK had reported it timed out, and the step's retry
 * could then look for the card before that write landed and make a second
 * one. The request's own timeout runs from the moment it leaves instead.
 */
const SDK_TIMEOUT_MS = 10 * 60_000;

/** The timeouts of `notionSdk` (tests shorten them). */
export interface NotionTimeouts {
  /** From the moment the request leaves (after its permit): aborted, it is a RequestTimeoutError. */
  requestMs: number;
  /** The SDK's own, around permit and request: never reached before a step's attempt ends. */
  sdkMs: number;
}

const TIMEOUTS: NotionTimeouts = { requestMs: REQUEST_TIMEOUT_MS, sdkMs: SDK_TIMEOUT_MS };

/**
 * @notionhq/client with its built-in retries off: the Workflow step owns
 * retries (and honours Retry-After). `apiBase` may point at a sandbox.
 * With `permit`, every HTTP request the SDK makes first waits for the
 * connection's rate budget (a callback that pages or searches then writes
 * makes several requests, and each counts against Notion's limit). Each
 * request has the same 60 s as every other provider's (REQUEST_TIMEOUT_MS),
 * counted after its permit, and is aborted when it runs out.
 */
export function notionSdk(
  apiBase: string,
  token: string,
  permit?: ConnectionContext["permit"],
  timeouts: NotionTimeouts = TIMEOUTS,
): Client {
  return new Client({
    auth: token,
    baseUrl: apiBase,
    retry: false,
    timeoutMs: timeouts.sdkMs,
    // Any response is an answer; a fetch that throws (timed out, unreachable) has none.
    fetch: (input, init) =>
      permitted(
        { permit },
        async () => {
          try {
            return await fetch(input, { ...init, signal: AbortSignal.timeout(timeouts.requestMs) });
          } catch (error) {
            throw timedOut(error) ? new RequestTimeoutError() : error;
          }
        },
        undefined,
        () => false,
      ),
  });
}

/**
 * Runs Notion calls for the connection with its current token (a 401 refreshes once).
 * The permit is taken per request in the SDK's fetch, not once per callback (withToken's).
 */
export function withNotion<T>(ctx: ConnectionContext<"notion">, fn: (notion: Client) => Promise<T>): Promise<T> {
  return withToken({ ...ctx, permit: undefined }, (token) =>
    callNotion(() => fn(notionSdk(ctx.apiBase, token, ctx.permit))),
  );
}

/**
 * Classifies a Notion client error once for every Notion action: by its
 * documented code when Notion sent one, else by status; a client-side
 * timeout is retryable like a network failure.
 */
export function notionError(error: unknown): unknown {
  if (RequestTimeoutError.isRequestTimeoutError(error)) {
    return new IntegrationError({
      provider: "notion",
      httpStatus: 0,
      message: "notion timed out",
      retryable: true,
      cause: error,
    });
  }
  if (!isHTTPResponseError(error)) return error;
  return providerFailure({
    provider: "notion",
    status: error.status,
    detail: error.message,
    retryable: error instanceof APIResponseError ? RETRYABLE_CODES.has(error.code) : undefined,
    requestId: error instanceof APIResponseError ? error.request_id : undefined,
    retryAfterMs: parseRetryAfter((error.headers as Headers | undefined)?.get("retry-after")),
    cause: error,
  });
}

/** Runs a Notion call and rethrows its failure as an IntegrationError. */
export const callNotion = mapErrors(notionError);
