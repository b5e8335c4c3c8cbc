import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { insertJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { recordWebhookEvents } from "../../src/store/webhook-events";
import { type Browser, signIn } from "../browser";
import { OutcomeTally } from "../reliability/outcome-tally";
import { APP, useWorld } from "../world";

/**
 * Every route of the app (Hono's `app.routes`), what kind it is, and what a
 * caller without a right to it gets. A route missing here fails the first
 * test: a new route has to be placed in the matrix before it ships.
 */
type Kind =
  | "public" // anyone: health, sign-in, the lead form, the API's readable docs
  | "webhook" // providers: a signature or nothing
  | "capability" // clients: a link token or nothing
  | "oauth-callback" // a provider's redirect back: a state bound to the browser or nothing
  | "owner-page" // the dashboard: a session (GET redirects to sign-in)
  | "owner-api" // the JSON API: a session (401 as JSON)
  | "operator" // the deployment's operator: OPERATOR_TOKEN
  | "sandbox"; // the local sandbox (`npm start` only): no such page without SANDBOX_URL

const ROUTES: Record<string, Kind> = {
  "GET /": "public",
  "GET /health": "public",
  "GET /.well-known/clientflow-evidence-keys.json": "public",
  "GET /auth/login": "public",
  "GET /auth/callback": "oauth-callback",
  "POST /auth/logout": "owner-page",
  "GET /f/:workspace/lead": "public",
  "POST /f/:workspace/lead": "public",
  "GET /api/docs": "owner-page",
  "GET /api/openapi.json": "public",
  "POST /webhooks/hubspot": "webhook",
  "POST /webhooks/stripe": "webhook",
  "POST /webhooks/stripe/e/:endpointId": "webhook",
  "POST /webhooks/notion": "webhook",
  "POST /webhooks/notion/w/:id": "webhook",
  "GET /c/:token": "capability",
  "POST /c/:token": "capability",
  "GET /s/:token": "capability",
  "POST /s/:token": "capability",
  "GET /u/:token": "capability",
  "POST /u/:token": "capability",
  "GET /a/:token": "capability",
  "POST /a/:token": "capability",
  "GET /oauth/:provider/callback": "oauth-callback",
  "GET /connect/:provider": "owner-page",
  "GET /connections": "owner-page",
  "GET /connections/notion/board": "owner-page",
  "DELETE /connections/:provider": "owner-page",
  "POST /connections/:provider/disconnect": "owner-page",
  "POST /connections/branding": "owner-page",
  "POST /connections/digest/settings": "owner-page",
  "POST /connections/hubspot/settings": "owner-page",
  "POST /connections/links": "owner-page",
  "POST /connections/notion/board": "owner-page",
  "POST /connections/notion/subscription": "owner-page",
  "POST /connections/notion/subscription/reset": "owner-page",
  "POST /connections/stripe/key": "owner-page",
  "GET /events": "owner-page",
  "POST /events/:id/replay": "owner-page",
  "GET /insights": "owner-page",
  "GET /insights.csv": "owner-page",
  "GET /journeys": "owner-page",
  "GET /journeys/:id": "owner-page",
  "POST /journeys/:id/:action{pause|resume|cancel}": "owner-page",
  "POST /journeys/:id/steps/:step/:action{retry|skip|approve}": "owner-page",
  "POST /journeys/:id/reversals/:reversalId/resolve": "owner-page",
  "GET /process": "owner-page",
  "GET /process/:templateId": "owner-page",
  "GET /process/:templateId/versions/:version": "owner-page",
  "POST /process/:templateId/edit": "owner-page",
  "POST /process/:templateId/versions/:version/restore": "owner-page",
  "GET /sandbox": "sandbox",
  "GET /sandbox/emails/:id": "sandbox",
  "GET /sandbox/invoices/:id": "sandbox",
  "POST /sandbox/faults": "sandbox",
  "POST /sandbox/faults/clear": "sandbox",
  "POST /sandbox/hubspot/deals": "sandbox",
  "POST /sandbox/hubspot/deals/:id/win": "sandbox",
  "POST /sandbox/notion/pages/:id/status": "sandbox",
  "POST /sandbox/stripe/invoices/:id/pay": "sandbox",
  "GET /api/connections": "owner-api",
  "GET /api/events": "owner-api",
  "POST /api/events/:id/replay": "owner-api",
  "GET /api/insights": "owner-api",
  "GET /api/journeys": "owner-api",
  "GET /api/journeys/:id": "owner-api",
  "GET /api/journeys/:id/agreement-evidence": "owner-api",
  "POST /api/journeys/:id/cancel": "owner-api",
  "POST /api/journeys/:id/pause": "owner-api",
  "POST /api/journeys/:id/resume": "owner-api",
  "POST /api/journeys/:id/steps/:step/approve": "owner-api",
  "POST /api/journeys/:id/steps/:step/retry": "owner-api",
  "POST /api/journeys/:id/steps/:step/skip": "owner-api",
  "POST /api/journeys/:id/reversals/:reversalId/resolve": "owner-api",
  "GET /api/process": "owner-api",
  "PUT /api/process": "owner-api",
  "GET /api/process/sample": "owner-api",
  "POST /api/process/preview": "owner-api",
  "POST /api/process/validate": "owner-api",
  "GET /api/process/versions/:version": "owner-api",
  "GET /api/process/templates/:templateId": "owner-api",
  "PUT /api/process/templates/:templateId": "owner-api",
  "GET /api/process/templates/:templateId/versions": "owner-api",
  "GET /api/process/templates/:templateId/versions/:version": "owner-api",
  "POST /api/process/templates/:templateId/versions/:version/restore": "owner-api",
  "GET /operator/notion": "operator",
  "POST /operator/notion/confirm": "operator",
  "GET /operator/health": "operator",
  "POST /operator/rotate-key": "operator",
};

/**
 * Hono lists `app.use` middleware as `ALL` entries (security headers, seeding,
 * session guards): known ones here; an unknown `ALL` entry could be an
 * endpoint answering every method, so it must be classified like a route.
 */
const MIDDLEWARE = new Set([
  "ALL /*",
  "ALL /api/*",
  "ALL /c/*",
  "ALL /journeys/*",
  "ALL /operator/notion/*",
  "ALL /process",
  "ALL /process/*",
  "ALL /sandbox/*",
  "ALL /webhooks/*",
]);

/** The app's endpoints, one entry per method and path. */
function appRoutes(): { method: string; path: string; key: string }[] {
  const seen = new Map<string, { method: string; path: string; key: string }>();
  for (const { method, path } of app.routes) {
    const key = `${method} ${path}`;
    if (!MIDDLEWARE.has(key)) seen.set(key, { method, path, key });
  }
  return [...seen.values()];
}

const world = useWorld();
const A_JOURNEY = "matrix-journey-a";
const A_EVENT = "matrix-event-a";
/** The event log row of A_EVENT (routes name events by row id). */
let aEventRow = 0;
let owner: { browser: Browser; csrf: string };
let stranger: { browser: Browser; csrf: string };

/** A concrete URL: ids of workspace A's journey and event, plausible values elsewhere. */
function concrete(path: string): string {
  const url = path
    .replace(/:action\{([a-z]+)\|[^}]*\}/, "$1")
    .replace(/^\/(api\/)?events\/:id/, (_m, api = "") => `/${api}events/${aEventRow}`)
    .replace(/:id/g, A_JOURNEY)
    .replace(":provider", "hubspot")
    .replace(":step", "process.read-deal")
    .replace(":templateId", "default")
    .replace(":version", "1")
    .replace(":token", "not-a-real-token")
    .replace(":workspace", "matrix-ws-a")
    .replace(":endpointId", "we_matrix");
  return `${APP}${url}`;
}

const journeyRow = () => env.DB.prepare("SELECT * FROM journeys WHERE id = ?").bind(A_JOURNEY).first();

const eventRow = () => env.DB.prepare("SELECT * FROM webhook_events WHERE event_id = ?").bind(A_EVENT).first();

beforeAll(async () => {
  owner = await signIn(world, { sub: "matrix-owner-a", email: "owner-a@studio.test" });
  stranger = await signIn(world, { sub: "matrix-owner-b", email: "owner-b@studio.test" });
  const workspaceId = (await findOwner(env.DB, "matrix-owner-a"))?.workspaceId ?? "";
  await insertJourney(env.DB, { id: A_JOURNEY, workspaceId, dealId: "matrix-deal" });
  await recordWebhookEvents(env.DB, [
    { provider: "hubspot", workspaceId, eventId: A_EVENT, eventType: "hubspot.deal.won", outcome: "started" },
  ]);
  const row = await env.DB.prepare("SELECT id FROM webhook_events WHERE event_id = ?")
    .bind(A_EVENT)
    .first<{ id: number }>();
  aEventRow = row?.id ?? 0;
  expect(aEventRow).toBeGreaterThan(0);
});

describe("the route access matrix", () => {
  it("classifies every route of the app (a new route must be added here)", () => {
    const unclassified = appRoutes()
      .map((r) => r.key)
      .filter((key) => !(key in ROUTES));
    expect(unclassified, "routes missing from the access matrix").toEqual([]);
    const gone = Object.keys(ROUTES).filter((key) => !appRoutes().some((r) => r.key === key));
    expect(gone, "matrix entries for routes the app no longer has").toEqual([]);
  });

  it("an anonymous caller: sign-in for pages, 401 for the API, webhooks and the operator, 4xx for a made-up link", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    for (const { method, path, key } of appRoutes()) {
      const kind = ROUTES[key];
      const response = await exports.default.fetch(concrete(path), {
        method,
        redirect: "manual",
        headers: { "content-type": "application/json", accept: "text/html" },
        body: method === "GET" ? undefined : "{}",
      });
      tally.add(response.status);
      const where = `${key} (${kind}) → ${response.status}`;
      expect.soft(response.status, where).toBeLessThan(500);
      if (kind === "owner-page" && method === "GET")
        expect.soft(response.headers.get("location") ?? "", where).toMatch(/^\/auth\/login/);
      else if (kind === "owner-page" || kind === "owner-api" || kind === "operator")
        expect.soft(response.status, where).toBe(401);
      // A per-endpoint webhook path that names no endpoint does not exist (404); a known one wants a signature.
      else if (kind === "sandbox") expect.soft(response.status, where).toBe(404);
      else if (kind === "webhook") expect.soft([401, 404], where).toContain(response.status);
      else if (kind === "capability" || kind === "oauth-callback") {
        expect.soft(response.status, where).toBeGreaterThanOrEqual(400);
      }
      await response.body?.cancel();
    }
    tally.record(task, "access");
  });

  it("a state-changing owner request without the CSRF token: 403, nothing changed", async ({ task }) => {
    const tally = new OutcomeTally();
    const before = await journeyRow();
    const unsafe = appRoutes().filter(
      (r) => (ROUTES[r.key] === "owner-page" || ROUTES[r.key] === "owner-api") && r.method !== "GET",
    );
    expect(unsafe.length).toBeGreaterThan(20);
    for (const { method, path, key } of unsafe) {
      for (const body of [
        { type: "application/json", text: "{}" },
        { type: "application/x-www-form-urlencoded", text: "_csrf=forged" },
      ]) {
        const response = await owner.browser.fetch(concrete(path), {
          method,
          headers: { "content-type": body.type, accept: "application/json" },
          body: body.text,
        });
        tally.add(response.status);
        expect.soft(response.status, `${key} (${body.type})`).toBe(403);
        await response.body?.cancel();
      }
    }
    expect(await journeyRow()).toEqual(before);
    tally.record(task, "access");
  });

  it("another workspace's owner on workspace A's journey and event: 404, nothing changed, nothing shown", async ({
    task,
  }) => {
    const tally = new OutcomeTally();
    const before = await journeyRow();
    const eventBefore = await eventRow();
    const targeted = appRoutes().filter(
      (r) => (ROUTES[r.key] === "owner-page" || ROUTES[r.key] === "owner-api") && r.path.includes(":id"),
    );
    expect(targeted.length).toBeGreaterThan(10);
    for (const { method, path, key } of targeted) {
      const response = await stranger.browser.fetch(concrete(path), {
        method,
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": stranger.csrf },
        body: method === "GET" ? undefined : "{}",
      });
      tally.add(response.status);
      const where = `${key} → ${response.status} ${response.headers.get("location") ?? ""}`;
      // The event log's Replay button answers a page redirect with the refusal as its notice.
      if (key === "POST /events/:id/replay")
        expect.soft(response.headers.get("location") ?? "", where).toContain("replay_error=unknown_event");
      else expect.soft([403, 404], where).toContain(response.status);
      expect.soft(await response.text(), key).not.toContain("matrix-deal");
    }
    for (const list of ["/api/journeys", "/api/events", "/journeys", "/events"]) {
      const text = await (await stranger.browser.fetch(list)).text();
      expect.soft(text, list).not.toContain(A_JOURNEY);
      expect.soft(text, list).not.toContain(A_EVENT);
    }
    expect(await journeyRow()).toEqual(before);
    expect(await eventRow()).toEqual(eventBefore);
    tally.record(task, "access");
  });
});
