import { APIResponseError, Client, isHTTPResponseError } from "@notionhq/client";
import type { AppEnv } from "../../src/env";
import { IntegrationError, isRetryableStatus, parseRetryAfter } from "../../src/errors";
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
  const retryAfterMs = parseRetryAfter((error.headers as Headers | undefined)?.get("retry-after"));
  const suffix = retryAfterMs !== undefined ? ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)` : "";
  const requestId = error instanceof APIResponseError ? error.request_id : undefined;
  return new IntegrationError(
    "notion",
    error.status,
    `notion answered ${error.status}: ${error.message.slice(0, 300)}${suffix}`,
    isRetryableStatus(error.status),
    requestId,
    retryAfterMs,
    { cause: error },
  );
}

export async function callNotion<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw notionError(error);
  }
}
