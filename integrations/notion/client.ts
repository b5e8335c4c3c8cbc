import { APIResponseError, Client, isHTTPResponseError } from "@notionhq/client";
import { withAccessToken } from "../../src/connections/access-token";
import type { AppEnv } from "../../src/env";
import { mapErrors, parseRetryAfter, providerFailure } from "../../src/errors";

/**
 * @notionhq/client with its built-in retries off: the Workflow step owns
 * retries (and honours Retry-After). NOTION_API_BASE may point at a sandbox.
 */
export function notionSdk(env: AppEnv, token: string): Client {
  return new Client({
    auth: token,
    baseUrl: env.NOTION_API_BASE,
    retry: false,
    fetch: (input, init) => fetch(input, init),
  });
}

/** Runs Notion calls for the workspace with its current token (a 401 refreshes once). */
export function withNotion<T>(env: AppEnv, workspaceId: string, fn: (notion: Client) => Promise<T>): Promise<T> {
  return withAccessToken(env, workspaceId, "notion", (token) => callNotion(() => fn(notionSdk(env, token))));
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
