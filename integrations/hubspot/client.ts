import type { z } from "zod";
import { withAccessToken } from "../../src/connections/access-token";
import type { AppEnv } from "../../src/env";
import { type ProviderHttp, requestJson } from "../http";

/** HubSpot error bodies: `{ status, message, category, correlationId }`. */
const hubspotHttp: ProviderHttp = {
  provider: "hubspot",
  requestIdHeader: "x-hubspot-correlation-id",
  errorMessage: (body) =>
    typeof body === "object" && body !== null && "message" in body ? String(body.message) : undefined,
};

export interface HubspotClient {
  request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>>;
}

/** A typed fetch client for the HubSpot CRM API (no SDK: see RECIPES.md on bundle size). */
export function hubspotClient(env: AppEnv, workspaceId: string): HubspotClient {
  return {
    async request(method, path, schema, body) {
      return withAccessToken(env, workspaceId, "hubspot", (token) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
        if (body !== undefined) headers["content-type"] = "application/json";
        return requestJson(
          hubspotHttp,
          `${env.HUBSPOT_API_BASE}${path}`,
          { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
          schema,
        );
      });
    },
  };
}
