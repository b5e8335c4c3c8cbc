import { APIResponseError, Client, isHTTPResponseError } from "@notionhq/client";
import type { AppEnv } from "../../src/env";
import { mapErrors, parseRetryAfter, providerFailure } from "../../src/errors";
import { notionCredentials } from "./auth";

/**
 * @notionhq/client with its built-in retries off: the Workflow step owns
 * retries (and honours Retry-After). NOTION_API_BASE may point at a sandbox.
 */
export async function notionClient(env: AppEnv, workspaceId: string): Promise<{ notion: Client; boardId: string }> {
  const { token, boardId } = await notionCredentials(env, workspaceId);
  const notion = new Client({
    auth: token,
    baseUrl: env.NOTION_API_BASE,
    retry: false,
    fetch: (input, init) => fetch(input, init),
  });
  return { notion, boardId };
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
