import { every } from "hono/combine";
import type { AppEnv } from "../src/env";
import { JSON_TYPE, limitedBody, type RawBodyVariables, requireContentType } from "../src/http/body";

export { parseJson } from "../src/http/body";

/** What every receiver sees: the bindings, and the raw body text the shared middleware read. */
export interface WebhookEnv {
  Bindings: AppEnv;
  Variables: RawBodyVariables;
}

/**
 * The shared front of every receiver: JSON content type (415), then at most
 * `limitBytes` of body (413) kept as exact text in `c.var.rawBody`.
 */
export const webhookBody = (limitBytes: number) =>
  every(requireContentType(JSON_TYPE, "Content-Type must be application/json"), limitedBody(limitBytes));
