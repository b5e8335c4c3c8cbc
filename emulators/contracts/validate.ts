import type { RecordedRequest } from "../recorder";
import { googleContract } from "./google";
import { hubspotContract } from "./hubspot";
import { notionContract } from "./notion";
import { stripeContract } from "./stripe";
import type { BodyEncoding, ContractProvider, Operation, Params } from "./types";

/** Every provider's declared operations. */
export const CONTRACTS: Record<ContractProvider, readonly Operation[]> = {
  stripe: stripeContract,
  hubspot: hubspotContract,
  notion: notionContract,
  google: googleContract,
};

/** A request as the contract sees it: the path is relative to the base named by `base`. */
export type ContractRequest = Pick<RecordedRequest, "method" | "path" | "search" | "headers" | "body"> & {
  base?: "api" | "oauth";
};

const segments = (path: string) => path.split("/").filter(Boolean);

function matches(template: string, path: string): boolean {
  const want = segments(template);
  const got = segments(path);
  return (
    want.length === got.length &&
    want.every((part, i) => (part.startsWith("{") ? (got[i] ?? "") !== "" : part === got[i]))
  );
}

/** The declared operation for a request; literal segments win over parameters (`/search` before `/{id}`). */
export function findOperation(provider: ContractProvider, request: ContractRequest): Operation | undefined {
  const literal = (op: Operation) => segments(op.path).filter((s) => !s.startsWith("{")).length;
  return CONTRACTS[provider]
    .filter((op) => op.method === request.method && (op.base ?? "api") === (request.base ?? "api"))
    .filter((op) => matches(op.path, request.path))
    .sort((a, b) => literal(b) - literal(a))[0];
}

/** `metadata[key]` and `lines[0][price]` are fields `metadata` and `lines` (Stripe's form notation). */
const topLevel = (name: string) => name.replace(/\[.*$/, "");

function checkNames(where: string, given: string[], allowed: Params | undefined): string[] {
  const declared = allowed ?? {};
  const present = new Set(given.map(topLevel));
  return [
    ...[...present].filter((name) => !(name in declared)).map((name) => `unknown ${where} parameter "${name}"`),
    ...Object.entries(declared)
      .filter(([name, required]) => required && !present.has(name))
      .map(([name]) => `missing required ${where} parameter "${name}"`),
  ];
}

const MEDIA: Record<Exclude<BodyEncoding, "none">, string> = {
  form: "application/x-www-form-urlencoded",
  json: "application/json",
};

function checkBody(op: Operation, request: ContractRequest): string[] {
  const empty = request.body === null || request.body === undefined || request.body === "";
  if (op.body === "none") return empty ? [] : ["a body was sent to an operation that takes none"];
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (!empty && !type.includes(MEDIA[op.body]))
    return [`body must be ${MEDIA[op.body]}, was "${type.split(";")[0] || "none"}"`];
  const body = empty ? {} : request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return [`body must be a ${op.body} object of named fields`];
  return checkNames("body", Object.keys(body), op.fields);
}

/**
 * What is wrong with a request against the provider's declared operations:
 * an unknown operation (method and path), unknown or missing query and body
 * parameters, a body in the wrong encoding. Empty when the request conforms.
 */
export function violations(provider: ContractProvider, request: ContractRequest): string[] {
  const op = findOperation(provider, request);
  const where = `${provider} ${request.method} ${request.path}`;
  if (!op) return [`${where}: no such operation in the ${provider} contract`];
  return [...checkNames("query", [...request.search.keys()], op.query), ...checkBody(op, request)].map(
    (problem) => `${where}: ${problem} (${op.source})`,
  );
}
