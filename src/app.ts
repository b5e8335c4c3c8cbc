import { type Context, Hono } from "hono";
import { except } from "hono/combine";
import { contextStorage } from "hono/context-storage";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import pkg from "../package.json";
import { hubspotWebhook } from "../webhooks/hubspot";
import { notionWebhook } from "../webhooks/notion";
import { stripeWebhook } from "../webhooks/stripe";
import { api } from "./api";
import { docsRoutes } from "./api/docs-routes";
import { signInRoutes } from "./auth/sign-in-routes";
import { connectRoutes, oauthCallbackRoutes } from "./connections/connect-routes";
import { setupRoutes } from "./connections/setup-routes";
import { evidenceKeyRoutes } from "./contracts/evidence-routes";
import { eventPageRoutes } from "./dashboard/events/page-routes";
import { insightsPages } from "./dashboard/insights/routes";
import { journeyPages } from "./dashboard/journeys/pages";
import { openWarnings } from "./dashboard/open-warnings";
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
import { operationsRoutes } from "./operator/operations-routes";
import { seedFromEnv } from "./seed/env-seed";
import { errorPage, type PageAudience } from "./ui/error-page";

export const app = new Hono<{ Bindings: AppEnv }>();

// Every answer, errors included: nosniff; HTML and JSON never cached; HTML under a script-hash policy, unframeable.
app.use("*", securityHeaders);
// The dashboard frame's connection-health banner reads its workspace's warnings through the request's context
// (src/dashboard/health-banner.tsx), so no route has to pass them down. Machine paths render no frame and skip
// both: each request in the storage costs a context frame that the isolate's garbage collector later finalizes,
// and at 200 webhooks a second those collections were the ack's longest stalls (docs/intake-queue.md).
const machinePath = (c: Context) => c.req.path === "/health" || c.req.path.startsWith("/webhooks/");
app.use("*", except(machinePath, contextStorage(), openWarnings));

app.get("/health", (c) => c.json({ status: "ok", version: pkg.version }));
// The public keys that verify agreement evidence packs (docs/evidence-pack.md).
app.route("/.well-known", evidenceKeyRoutes);

app.use("/webhooks/*", async (c, next) => {
  await seedFromEnv(c.env, c.req.url);
  await next();
});
app.route("/webhooks/hubspot", hubspotWebhook);
app.route("/webhooks/stripe", stripeWebhook);
app.route("/webhooks/notion", notionWebhook);
// The deployment operator's pages (OPERATOR_TOKEN; 404 without it).
app.route("/operator/notion", notionOperatorRoutes);
app.route("/operator", operationsRoutes);

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
// /insights and /insights.csv (the page and its tables as CSV).
app.route("/", insightsPages);
app.route("/connections", setupRoutes);
app.route("/sandbox", sandboxRoutes);
// The JSON API (its readable list first: that page redirects to sign-in, the API answers 401).
app.route("/api/docs", docsRoutes);
app.route("/api", api);
app.get("/", (c) => c.redirect("/journeys", 302));

/** Paths that only programs call: they always answer JSON. */
const PROGRAM_PREFIXES = ["/api", "/webhooks", "/operator", "/health", "/.well-known"];
/** Pages clients open by a link: errors are hosted pages (the business's frame, whom to contact). */
const HOSTED_PREFIXES = ["/c", "/s", "/u", "/a", "/f"];
/** The owner's sections: errors are dashboard pages, unless the request asks for JSON only. */
const DASHBOARD_PREFIXES = ["/journeys", "/process", "/events", "/insights", "/connections", "/sandbox"];

const under = (path: string, prefixes: string[]) => prefixes.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * How an error is answered, by route, then by `Accept` where a route serves
 * both (sign-in and connect flows, unknown paths): pages for people, JSON
 * for programs. A request that names JSON and not HTML gets JSON.
 */
function errorAudience(c: Context): PageAudience | "json" {
  const path = c.req.path;
  if (under(path, PROGRAM_PREFIXES)) return "json";
  if (under(path, HOSTED_PREFIXES)) return "hosted";
  const accept = c.req.header("accept") ?? "";
  const html = accept.includes("text/html");
  if (!html && accept.includes("application/json")) return "json";
  return html || under(path, DASHBOARD_PREFIXES) ? "dashboard" : "json";
}

/** An error as JSON (`{ error, message, details? }`) or as a page, as the request's audience wants. */
function refusal(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
  const audience = errorAudience(c);
  if (audience !== "json") return errorPage(c, audience, status, message);
  return c.json({ error: code, message, ...(details === undefined ? {} : { details }) }, status);
}

app.notFound((c) => refusal(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}`));

/** Known errors become their status with a clear message; unknown ones stay 500 and are logged. */
app.onError((error, c) => {
  if (error instanceof WebhookVerificationError) {
    log.warn("webhook rejected", { provider: error.provider, reason: error.reason });
    return c.json({ error: error.code, message: error.message }, 401);
  }
  if (error instanceof AuthenticationError) {
    log.warn("authentication refused", { reason: error.reason, path: c.req.path });
    return refusal(c, error.status, error.code, error.message);
  }
  if (error instanceof AppError) {
    log.info("request refused", { code: error.code, status: error.status });
    return refusal(c, error.status, error.code, error.message, error.details);
  }
  if (error instanceof HTTPException) {
    // Hono's own refusals (e.g. a body that is not JSON) answer in the app's error shape.
    const code = error.status === 400 ? "invalid_request" : "http_error";
    return refusal(c, error.status as ContentfulStatusCode, code, error.message || "Request refused");
  }
  log.error("unhandled error", { path: c.req.path, reason: describeError(error) });
  return refusal(c, 500, "internal_error", "Something went wrong; it was logged");
});
