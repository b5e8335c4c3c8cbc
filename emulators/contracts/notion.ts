import * as endpoints from "@notionhq/client/build/src/api-endpoints.js";
import type { Operation, Params } from "./types";

/** The SDK's endpoint definition: method, path builder and parameter names. */
interface SdkEndpoint {
  method: string;
  path: (params: Record<string, string>) => string;
  pathParams: readonly string[];
  queryParams: readonly string[];
  bodyParams: readonly string[];
}

/**
 * The Notion endpoints Clientflow calls, by the name @notionhq/client gives
 * them, and the body fields required there (the endpoint definitions list
 * names only; the required ones are those the SDK's parameter types do not
 * mark optional, e.g. AppendBlockChildrenBodyParameters.children).
 */
const USED: Record<string, readonly string[]> = {
  search: [],
  getDataSource: [],
  queryDataSource: [],
  createPage: [],
  getPage: [],
  updatePage: [],
  listBlockChildren: [],
  appendBlockChildren: ["children"],
  oauthToken: ["grant_type"],
  oauthRevoke: ["token"],
  // The scheduled connection check (src/maintenance/connection-probes.ts).
  getSelf: [],
};

const names = (list: readonly string[], required: readonly string[] = []): Params =>
  Object.fromEntries(list.map((name) => [name, required.includes(name)]));

/**
 * The Notion contract, built from the installed SDK's own endpoint
 * definitions (build/src/api-endpoints.js): nothing copied, nothing to drift.
 * Every SDK request is JSON; paths are under `/v1/`.
 */
export const notionContract: readonly Operation[] = Object.entries(USED).map(([name, required]) => {
  const endpoint = (endpoints as unknown as Record<string, SdkEndpoint>)[name];
  if (!endpoint) throw new Error(`@notionhq/client has no endpoint ${name}`);
  const template = endpoint.path(Object.fromEntries(endpoint.pathParams.map((p) => [p, `{${p}}`])));
  const method = endpoint.method.toUpperCase() as Operation["method"];
  return {
    method,
    path: `/v1/${template}`,
    query: names(endpoint.queryParams),
    body: method === "GET" || method === "DELETE" ? "none" : "json",
    fields: names(endpoint.bodyParams, required),
    source: `@notionhq/client api-endpoints ${name}`,
  };
});
