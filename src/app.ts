import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import pkg from "../package.json";
import { hubspotWebhook } from "../webhooks/hubspot";
import { notionWebhook } from "../webhooks/notion";
import { stripeWebhook } from "../webhooks/stripe";
import { api } from "./api";
import { docsRoutes } from "./api/docs-routes";
import { signInRoutes } from "./auth/sign-in-routes";
import { connectRoutes, oauthCallbackRoutes } from "./connections/connect-routes";
import { setupRoutes } from "./connections/setup-routes";
import { eventPageRoutes } from "./dashboard/events/page-routes";
import { journeyPages } from "./dashboard/journeys/pages";
import { sandboxRoutes } from "./dashboard/sandbox/routes";
import { processEditorRoutes } from "./editor/editor-routes";
import type { AppEnv } from "./env";
import { AppError, AuthenticationError, WebhookVerificationError } from "./errors";
import { approvalRoutes } from "./hosted/approval/routes";
import { contractRoutes } from "./hosted/contract/routes";
import { leadRoutes } from "./hosted/lead-form/lead-routes";
import { surveyRoutes } from "./hosted/survey/routes";
import { unsubscribeRoutes } from "./hosted/unsubscribe/routes";
import { securityHeaders } from "./http/security-headers";
import { describeError, log } from "./log";
import { notionOperatorRoutes } from "./operator/notion-routes";
import { seedFromEnv } from "./seed/env-seed";

export const app = new Hono<{ Bindings: AppEnv }>();

// Every answer, errors included: nosniff; HTML and JSON never cached; HTML under a script-hash policy, unframeable.
app.use("*", securityHeaders);

app.get("/health", (c) => c.json({ status: "ok", version: pkg.version }));

app.use("/webhooks/*", async (c, next) => {
  await seedFromEnv(c.env, c.req.url);
  await next();
});
app.route("/webhooks/hubspot", hubspotWebhook);
app.route("/webhooks/stripe", stripeWebhook);
app.route("/webhooks/notion", notionWebhook);
// The deployment operator's pages (OPERATOR_TOKEN; 404 without it).
app.route("/operator/notion", notionOperatorRoutes);

// Owner sign-in and connecting accounts.
app.route("/auth", signInRoutes);
app.route("/connect", connectRoutes);
app.route("/oauth", oauthCallbackRoutes);
// Pages clients open (links in their emails; the lead form embeds on the business's site).
app.route("/f", leadRoutes);
app.route("/c", contractRoutes);
app.route("/s", surveyRoutes);
app.route("/u", unsubscribeRoutes);
app.route("/a", approvalRoutes);
// The owner's dashboard.
app.route("/journeys", journeyPages);
app.route("/process", processEditorRoutes);
app.route("/events", eventPageRoutes);
app.route("/connections", setupRoutes);
app.route("/sandbox", sandboxRoutes);
// The JSON API (its readable list first: that page redirects to sign-in, the API answers 401).
app.route("/api/docs", docsRoutes);
app.route("/api", api);
app.get("/", (c) => c.redirect("/journeys", 302));

app.notFound((c) => c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404));

/** Known errors become their status with a clear message; unknown ones stay 500 and are logged. */
app.onError((error, c) => {
  if (error instanceof WebhookVerificationError) {
    log.warn("webhook rejected", { provider: error.provider, reason: error.reason });
    return c.json({ error: error.code, message: error.message }, 401);
  }
  if (error instanceof AuthenticationError) {
    log.warn("authentication refused", { reason: error.reason, path: c.req.path });
    return c.json({ error: error.code, message: error.message }, error.status);
  }
  if (error instanceof AppError) {
    log.info("request refused", { code: error.code, status: error.status });
    const details = error.details === undefined ? {} : { details: error.details };
    return c.json({ error: error.code, message: error.message, ...details }, error.status);
  }
  if (error instanceof HTTPException) {
    // Hono's own refusals (e.g. a body that is not JSON) answer in the app's error shape.
    const code = error.status === 400 ? "invalid_request" : "http_error";
    return c.json({ error: code, message: error.message || "Request refused" }, error.status);
  }
  log.error("unhandled error", { path: c.req.path, reason: describeError(error) });
  return c.json({ error: "internal_error", message: "Something went wrong; it was logged" }, 500);
});
