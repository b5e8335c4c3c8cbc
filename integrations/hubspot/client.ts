import type { z } from "zod";
import { type ConnectionContext, withToken } from "../core/context";
import { type ProviderHttp, requestJson } from "../core/http";

/** HubSpot error bodies: `{ status, message, category, correlationId }`. */
const hubspotHttp: ProviderHttp = {
  provider: "hubspot",
  requestIdHeader: "x-hubspot-correlation-id",
  errorMessage: (body) =>
    typeof body === "object" && body !== null && "message" in body ? String(body.message) : undefined,
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
