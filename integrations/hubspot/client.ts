import type { z } from "zod";
import { type ConnectionContext, withToken } from "../core/context";
import { type ProviderHttp, requestJson } from "../core/http";

/** The `policyName` of a HubSpot 429 body (`TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`, …). */
function policyName(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("policyName" in body)) return undefined;
  return typeof body.policyName === "string" ? body.policyName : undefined;
}

/**
 * HubSpot error bodies: `{ status, message, category, correlationId }`; a 429
 * adds `errorType: "RATE_LIMIT"` and the `policyName` of the limit hit.
 * The burst limits (per 10 s / per second) clear within seconds: retryable.
 * The daily limit resets only at midnight in the account's time zone: final,
 * saying so. A long Retry-After would not help: the step's backoff is capped
 * at 15 minutes, so its retries would all fail within the hour against a
 * limit that lasts until midnight, and each attempt spends more of the day's
 * budget that every app in the portal shares. Final, the step is held for
 * the owner, who retries it after the reset.
 * https://developers.hubspot.com/docs/api/usage-details
 */
export const hubspotHttp: ProviderHttp = {
  provider: "hubspot",
  requestIdHeader: "x-hubspot-correlation-id",
  errorMessage: (body) =>
    typeof body === "object" && body !== null && "message" in body ? String(body.message) : undefined,
  classify: (status, body) => {
    if (status !== 429) return undefined;
    if (policyName(body) === "DAILY") {
      return {
        retryable: false,
        detail:
          "the portal's daily API limit is used up (shared by every app in the HubSpot account); it resets at midnight in the account's time zone: retry the step after that",
      };
    }
    return { retryable: true };
  },
};

/** The HubSpot CRM calls Clientflow makes: one typed request. */
export interface HubspotClient {
  request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>>;
}

/**
 * A typed fetch client for the HubSpot CRM API at the context's API base (no
 * SDK: see RECIPES.md on bundle size); a 401 refreshes the token once.
 */
export function hubspotClient(ctx: ConnectionContext<"hubspot">): HubspotClient {
  return {
    async request(method, path, schema, body) {
      return withToken(ctx, (token) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
        if (body !== undefined) headers["content-type"] = "application/json";
        return requestJson(
          hubspotHttp,
          `${ctx.apiBase}${path}`,
          { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
          schema,
        );
      });
    },
  };
}
