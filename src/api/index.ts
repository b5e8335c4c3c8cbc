import { bodyLimit } from "hono/body-limit";
import { requireSession } from "../auth/session";
import { connectionsApi } from "../connections/setup-routes";
import { eventsApi } from "../dashboard/events/api";
import { journeysApi } from "../dashboard/journeys/api";
import { processApi } from "../editor/api";
import { PayloadTooLargeError } from "../errors";
import { evidenceApi } from "./evidence-api";
import { insightsApi } from "./insights";
import { apiRouter } from "./router";

/**
 * The largest API body: a template at its schema's limits in realistic use is
 * far below it; without a limit a multi-megabyte body was read and parsed
 * whole (test/fuzz/api.test.ts).
 */
export const API_BODY_LIMIT = 1024 * 1024;

/**
 * The JSON API under /api, behind the owner's session (changes need the
 * `X-CSRF-Token` header). Each part registers its routes with a schema, so
 * `/api/openapi.json` documents exactly what is served.
 */
export const api = apiRouter();
api.use("*", requireSession({ redirect: false }));
api.use(
  "*",
  bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: () => {
      throw new PayloadTooLargeError(API_BODY_LIMIT);
    },
  }),
);
api.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "__Host-cf_session",
  description: "The owner's session cookie, set by Google sign-in at /auth/login",
});
api.openAPIRegistry.registerComponent("securitySchemes", "csrf", {
  type: "apiKey",
  in: "header",
  name: "X-CSRF-Token",
  description: "Required on every POST, PUT, PATCH and DELETE; the token is in the pages' csrf-token meta tag",
});

// API parts mount here: api.route("/journeys", journeysApi) …
api.route("/events", eventsApi);
api.route("/journeys", journeysApi);
api.route("/journeys", evidenceApi);
api.route("/connections", connectionsApi);
api.route("/process", processApi);
api.route("/insights", insightsApi);

/** `GET /api/openapi.json`: the document of everything above. */
api.get("/openapi.json", (c) => c.json(openApiDocument(`${new URL(c.req.url).origin}/api`)));

/** The OpenAPI 3.1 document of the API above. */
export function openApiDocument(serverUrl: string) {
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Clientflow API",
      version: "1",
      description:
        "The owner's JSON API: connections, process templates, journeys, the webhook event log and insights.",
    },
    servers: [{ url: serverUrl }],
    security: [{ session: [] }],
  });
}
