import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { SessionEnv } from "../auth/session";
import { AppError } from "../errors";

/**
 * A router for one part of the JSON API. Request validation failures become
 * the app's own 400 (`invalid_request`, with every problem in `details`), so
 * the API answers bad input the same way everywhere.
 */
export function apiRouter() {
  return new OpenAPIHono<SessionEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const problems = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      throw new AppError("invalid_request", problems.map((p) => `${p.path || "body"}: ${p.message}`).join("; "), 400, {
        details: problems,
      });
    },
  });
}

/** The error body every route answers with on 4xx. */
export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: "unknown_journey" }),
    message: z.string().openapi({ example: "No such journey" }),
    details: z.unknown().optional(),
  })
  .openapi("Error");

/** Response entries for the errors every session route can give. */
export function errorResponses(...statuses: Array<400 | 404 | 409 | 413>) {
  const described: Record<number, string> = {
    400: "Malformed or invalid input",
    401: "No session, or it expired",
    403: "Missing or wrong CSRF token on a change",
    404: "Not found in this workspace",
    409: "Not possible in the current state",
    413: "Body too large",
  };
  const entries: Record<
    number,
    { description: string; content: { "application/json": { schema: typeof ErrorBody } } }
  > = {};
  for (const status of [401, 403, ...statuses]) {
    entries[status] = {
      description: described[status] ?? "Error",
      content: { "application/json": { schema: ErrorBody } },
    };
  }
  return entries;
}

/** `{ content: { "application/json": { schema } } }` for a response or body. */
export function json<T extends z.ZodType>(schema: T, description = "OK") {
  return { description, content: { "application/json": { schema } } };
}
