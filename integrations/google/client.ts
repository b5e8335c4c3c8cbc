import type { z } from "zod";
import { type ConnectionContext, withToken } from "../core/context";
import { type ProviderHttp, requestJson } from "../core/http";

/** Google API error bodies: `{ error: { code, message, status } }`. */
const googleHttp: ProviderHttp = {
  provider: "google",
  requestIdHeader: "x-request-id",
  errorMessage: (body) => {
    if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
    const error = body.error as { message?: unknown } | string;
    return typeof error === "string" ? error : String(error.message ?? "");
  },
};

/** A typed fetch client for Google REST APIs (Gmail, Calendar) at the context's API base; a 401 refreshes once. */
export function googleClient(ctx: ConnectionContext<"google">) {
  /** GET without a body, POST (JSON) with one. */
  const request = <S extends z.ZodType>(path: string, schema: S, body?: unknown): Promise<z.output<S>> =>
    withToken(ctx, (token) => {
      const authorization = `Bearer ${token}`;
      const init: RequestInit =
        body === undefined
          ? { headers: { authorization } }
          : {
              method: "POST",
              headers: { authorization, "content-type": "application/json" },
              body: JSON.stringify(body),
            };
      return requestJson(googleHttp, `${ctx.apiBase}${path}`, init, schema);
    });
  return {
    get: <S extends z.ZodType>(path: string, schema: S) => request(path, schema),
    post: <S extends z.ZodType>(path: string, schema: S, body: unknown) => request(path, schema, body),
  };
}
