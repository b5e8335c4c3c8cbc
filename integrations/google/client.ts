import type { z } from "zod";
import { type ConnectionContext, withToken } from "../core/context";
import { type ProviderHttp, requestJson } from "../core/http";

/**
 * The 403 reasons Google documents as usage limits to retry with exponential
 * backoff (the per-project and per-user rate limits). Other 403s (no
 * permission, `dailyLimitExceeded`, Calendar's `quotaExceeded`) stay final.
 * https://developers.google.com/workspace/gmail/api/reference/quota
 * https://developers.google.com/workspace/gmail/api/guides/handle-errors
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */
const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);

/** The `reason`s of a Google error body: `{ error: { errors: [{ domain, reason, message }] } }`. */
function googleReasons(body: unknown): string[] {
  if (typeof body !== "object" || body === null || !("error" in body)) return [];
  const errors = (body.error as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e) =>
    typeof e === "object" && e !== null && typeof e.reason === "string" ? [e.reason as string] : [],
  );
}

/** Google API error bodies: `{ error: { code, message, status, errors: [{ reason }] } }`. */
export const googleHttp: ProviderHttp = {
  provider: "google",
  requestIdHeader: "x-request-id",
  errorMessage: (body) => {
    if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
    const error = body.error as { message?: unknown } | string;
    return typeof error === "string" ? error : String(error.message ?? "");
  },
  classify: (status, body) =>
    status === 403 && googleReasons(body).some((reason) => RATE_LIMIT_REASONS.has(reason))
      ? { retryable: true }
      : undefined,
};

/**
 * What a call costs of the per-user Gmail quota the rate budget counts in
 * (https://developers.google.com/gmail/api/reference/quota): messages.send
 * 100 units, other Gmail methods we call 5 or fewer; non-Gmail calls 1.
 */
const gmailUnits = (path: string): number =>
  path.endsWith("/messages/send") ? 100 : path.startsWith("/gmail/") ? 5 : 1;

/** How long one Google API call may take (the journey step allows 5 minutes for the whole attempt). */
const REQUEST_TIMEOUT_MS = 60_000;

/** A typed fetch client for Google REST APIs (Gmail, Calendar) at the context's API base; a 401 refreshes once. */
export function googleClient(ctx: ConnectionContext<"google">) {
  /** GET without a body, POST (JSON) with one. */
  const request = <S extends z.ZodType>(path: string, schema: S, body?: unknown): Promise<z.output<S>> =>
    withToken(
      ctx,
      (token) => {
        const authorization = `Bearer ${token}`;
        // A call that hangs ends here, caught and classified (a send may have happened: sent-check.ts),
        // well before the Workflow step's own timeout would end the attempt unseen.
        const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        const init: RequestInit =
          body === undefined
            ? { headers: { authorization }, signal }
            : {
                method: "POST",
                headers: { authorization, "content-type": "application/json" },
                body: JSON.stringify(body),
                signal,
              };
        return requestJson(googleHttp, `${ctx.apiBase}${path}`, init, schema);
      },
      gmailUnits(path),
    );
  return {
    get: <S extends z.ZodType>(path: string, schema: S) => request(path, schema),
    post: <S extends z.ZodType>(path: string, schema: S, body: unknown) => request(path, schema, body),
  };
}
