import { APIErrorCode, APIResponseError, Client, isHTTPResponseError, RequestTimeoutError } from "@notionhq/client";
import { type ConnectionContext, withToken } from "../core/context";
import { IntegrationError, mapErrors, parseRetryAfter, providerFailure } from "../core/errors";

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
 * @notionhq/client with its built-in retries off: the Workflow step owns
 * retries (and honours Retry-After). `apiBase` may point at a sandbox.
 * With `permit`, every HTTP request the SDK makes first waits for the
 * connection's rate budget (a callback that pages or searches then writes
 * makes several requests, and each counts against Notion's limit).
 */
export function notionSdk(apiBase: string, token: string, permit?: () => Promise<void>): Client {
  return new Client({
    auth: token,
    baseUrl: apiBase,
    retry: false,
    fetch: async (input, init) => {
      await permit?.();
      return fetch(input, init);
    },
  });
}

/**
 * Runs Notion calls for the connection with its current token (a 401 refreshes once).
 * The permit is taken per request in the SDK's fetch, not once per callback (withToken's).
 */
export function withNotion<T>(ctx: ConnectionContext<"notion">, fn: (notion: Client) => Promise<T>): Promise<T> {
  const permit = ctx.permit && (() => ctx.permit?.() ?? Promise.resolve());
  return withToken({ ...ctx, permit: undefined }, (token) =>
    callNotion(() => fn(notionSdk(ctx.apiBase, token, permit))),
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
