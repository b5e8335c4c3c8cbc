import { APIResponseError, Client, isHTTPResponseError } from "@notionhq/client";
import { type ConnectionContext, withToken } from "../core/context";
import { mapErrors, parseRetryAfter, providerFailure } from "../core/errors";

/**
 * @notionhq/client with its built-in retries off: the Workflow step owns
 * retries (and honours Retry-After). `apiBase` may point at a sandbox.
 */
export function notionSdk(apiBase: string, token: string): Client {
  return new Client({
    auth: token,
    baseUrl: apiBase,
    retry: false,
    fetch: (input, init) => fetch(input, init),
  });
}

/** Runs Notion calls for the connection with its current token (a 401 refreshes once). */
export function withNotion<T>(ctx: ConnectionContext<"notion">, fn: (notion: Client) => Promise<T>): Promise<T> {
  return withToken(ctx, (token) => callNotion(() => fn(notionSdk(ctx.apiBase, token))));
}

/** Classifies a Notion client error once for every Notion action. */
export function notionError(error: unknown): unknown {
  if (!isHTTPResponseError(error)) return error;
  return providerFailure({
    provider: "notion",
    status: error.status,
    detail: error.message,
    requestId: error instanceof APIResponseError ? error.request_id : undefined,
    retryAfterMs: parseRetryAfter((error.headers as Headers | undefined)?.get("retry-after")),
    cause: error,
  });
}

/** Runs a Notion call and rethrows its failure as an IntegrationError. */
export const callNotion = mapErrors(notionError);
