import { HttpResponse } from "msw";

/** Notion's error body (https://developers.notion.com/reference/status-codes): object, status, code, message. */
export function notionError(status: number, code: string, message: string) {
  return HttpResponse.json({ object: "error", status, code, message }, { status });
}
