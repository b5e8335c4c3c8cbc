import type { z } from "zod";
import { withAccessToken } from "../../src/connections/access-token";
import type { AppEnv } from "../../src/env";
import { type ProviderHttp, requestJson } from "../http";

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

/** A typed fetch client for Google REST APIs (Gmail, Calendar) at GOOGLE_API_BASE. */
export function googleClient(env: AppEnv, workspaceId: string) {
  return {
    async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
      return withAccessToken(env, workspaceId, "google", (token) =>
        requestJson(
          googleHttp,
          `${env.GOOGLE_API_BASE}${path}`,
          { headers: { authorization: `Bearer ${token}` } },
          schema,
        ),
      );
    },
    async post<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<z.output<S>> {
      return withAccessToken(env, workspaceId, "google", (token) =>
        requestJson(
          googleHttp,
          `${env.GOOGLE_API_BASE}${path}`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify(body),
          },
          schema,
        ),
      );
    },
  };
}
