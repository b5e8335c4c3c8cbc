import { Hono } from "hono";
import { ValidationError } from "../errors";
import { deepHealth } from "./deep-health";
import { type OperatorEnv, requireOperator } from "./guard";
import { DEFAULT_ROTATION_BATCH, isRotationCursor, rotateBatch } from "./rotate-key";

/**
 * Operator-only operations (OPERATOR_TOKEN as Bearer; 404 without the
 * secret): the deep health check and key rotation batches. JSON only, for
 * scripts (`npm run rotate-key`) and monitors; no forms, so no CSRF token.
 * A Basic credential (which a browser attaches to cross-site requests by
 * itself) may read the health check but not rotate.
 */
export const operationsRoutes = new Hono<OperatorEnv>();

/** Deep health: 200 when everything is in place, 503 otherwise, with what is missing by name. */
operationsRoutes.get("/health", requireOperator, async (c) => {
  const health = await deepHealth(c.env);
  return c.json(health, health.status === "ok" ? 200 : 503);
});

/**
 * One batch of re-sealing under the current ENCRYPTION_KEY. Body:
 * `{ cursor?: { table, after }, limit? }`; answers the batch's counts and
 * `next` (null when done). The script calls it until `next` is null.
 */
operationsRoutes.post("/rotate-key", requireOperator, async (c) => {
  if (c.get("operatorVia") !== "bearer") {
    throw new ValidationError("Key rotation takes the operator token as a Bearer header");
  }
  const body = (await c.req.json().catch(() => ({}))) as { cursor?: unknown; limit?: unknown };
  if (body.cursor !== undefined && body.cursor !== null && !isRotationCursor(body.cursor)) {
    throw new ValidationError("cursor must be a { table, after } value this route returned");
  }
  const limit =
    typeof body.limit === "number" && Number.isInteger(body.limit) && body.limit > 0 && body.limit <= 500
      ? body.limit
      : DEFAULT_ROTATION_BATCH;
  return c.json(await rotateBatch(c.env.DB, c.env, isRotationCursor(body.cursor) ? body.cursor : null, limit));
});
