import type { z } from "zod";
import { type ConnectionContext, withToken } from "../core/context";
import { type ProviderHttp, requestJson } from "../core/http";

/** The `policyName` of a HubSpot 429 body (`TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`, …). */
function policyName(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("policyName" in body)) return undefined;
  return typeof body.policyName === "string" ? body.policyName : undefined;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;

/**
 * The properties a HubSpot 400 names as not existing. HubSpot documents the
 * answer to a write with an unknown property ("Using Object APIs", error
 * responses: https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis):
 * `category: "VALIDATION_ERROR"`, one `errors[]` entry per property with
 * `code: "PROPERTY_DOESNT_EXIST"` and `context.propertyName: [name]`, and the
 * same list JSON-encoded in `message` after "Property values were not valid: "
 * (each `{ error: "PROPERTY_DOESNT_EXIST", name }`), which older answers carry
 * alone (Developer Changelog, "Property Validations Rules will be enforced").
 * The shapes follow the spec's Error and ErrorDetail schemas (CRM Deals v3).
 */
export function propertiesNotFound(body: unknown): string[] {
  const error = record(body);
  if (error?.category !== "VALIDATION_ERROR") return [];
  const names = new Set<string>();
  for (const detail of Array.isArray(error.errors) ? error.errors : []) {
    const entry = record(detail);
    const context = record(entry?.context);
    if (entry?.code !== "PROPERTY_DOESNT_EXIST" || !Array.isArray(context?.propertyName)) continue;
    for (const name of context.propertyName) if (typeof name === "string") names.add(name);
  }
  const listed =
    typeof error.message === "string" ? /^Property values were not valid: (\[.*\])$/s.exec(error.message) : null;
  if (listed?.[1]) {
    try {
      const entries: unknown = JSON.parse(listed[1]);
      for (const item of Array.isArray(entries) ? entries : []) {
        const entry = record(item);
        if (entry?.error === "PROPERTY_DOESNT_EXIST" && typeof entry.name === "string") names.add(entry.name);
      }
    } catch {
      // not the documented list: the errors[] entries above are all there is
    }
  }
  return [...names];
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
 * the owner, who retries it after the reset. A 400 naming properties that
 * do not exist carries their names (`unknownFields`, see propertiesNotFound).
 * https://developers.hubspot.com/docs/api/usage-details
 */
export const hubspotHttp: ProviderHttp = {
  provider: "hubspot",
  requestIdHeader: "x-hubspot-correlation-id",
  errorMessage: (body) =>
    typeof body === "object" && body !== null && "message" in body ? String(body.message) : undefined,
  classify: (status, body) => {
    if (status === 400) {
      const unknownFields = propertiesNotFound(body);
      return unknownFields.length > 0 ? { unknownFields } : undefined;
    }
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
