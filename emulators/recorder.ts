import type { HttpResponseResolver, PathParams } from "msw";

/** The request msw hands a resolver. */
export type MockRequest = Parameters<HttpResponseResolver>[0]["request"];
export type { PathParams };

/** Every request a fake provider received, for exact assertions in tests. */
export interface RecordedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON, or the form fields of a form-encoded body, or null. */
  body: unknown;
}

export async function recordRequest(request: MockRequest): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const type = request.headers.get("content-type") ?? "";
  const text = request.method === "GET" ? "" : new TextDecoder().decode(await request.clone().arrayBuffer());
  let body: unknown = null;
  if (text && type.includes("application/json")) body = JSON.parse(text);
  else if (text && type.includes("application/x-www-form-urlencoded"))
    body = Object.fromEntries(new URLSearchParams(text));
  else if (text) body = text;
  return {
    method: request.method,
    path: url.pathname,
    search: url.searchParams,
    headers: Object.fromEntries(request.headers),
    body,
  };
}

/** A list of recorded requests with small query helpers. */
export class RequestLog {
  readonly all: RecordedRequest[] = [];
  push(request: RecordedRequest): void {
    this.all.push(request);
  }
  matching(method: string, path: string | RegExp): RecordedRequest[] {
    return this.all.filter(
      (r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)),
    );
  }
  clear(): void {
    this.all.length = 0;
  }
}
