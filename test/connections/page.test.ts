import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { saveConnection, setConnectionStatus } from "../../src/store/connections";
import { findOwner } from "../../src/store/owners";
import { type Browser, signIn } from "../browser";
import { APP, dealStageEvent, NOTION_TOKEN, postHubspot, useWorld } from "../world";

const world = useWorld();
const PORTAL = "7800001";
const SCOPES = ["crm.objects.deals.read", "crm.objects.deals.write"];

let owner: { browser: Browser; csrf: string; workspaceId: string };

/** The HTML of one provider's card on the page. */
function card(html: string, provider: string): string {
  const start = html.indexOf(`data-provider="${provider}"`);
  if (start < 0) throw new Error(`no card for ${provider}`);
  const end = html.indexOf("</section>", start);
  return html.slice(start, end);
}

/** The page through the app with env overrides (the sandbox vars), with the owner's cookies. */
function pageWithEnv(overrides: Record<string, string>) {
  const cookie = [...owner.browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return app.request(`${APP}/connections`, { headers: { cookie } }, { ...env, ...overrides });
}

beforeAll(async () => {
  const session = await signIn(world, { sub: "page-owner", email: "page-owner@studio.test" });
  owner = { ...session, workspaceId: (await findOwner(env.DB, "page-owner"))?.workspaceId ?? "" };
  const base = { workspaceId: owner.workspaceId, source: "oauth" as const };
  await saveConnection(env.DB, env, {
    ...base,
    provider: "hubspot",
    externalAccountId: PORTAL,
    credentials: { accessToken: "pat-page-test" },
    config: { portalId: PORTAL, scopes: SCOPES },
  });
  await env.DB.prepare(
    "UPDATE connections SET last_refreshed_at = '2026-10-02T08:30:00.000Z', created_at = '2026-09-01T10:00:00.000Z' WHERE workspace_id = ? AND provider = 'hubspot'",
  )
    .bind(owner.workspaceId)
    .run();
  await saveConnection(env.DB, env, {
    ...base,
    provider: "notion",
    externalAccountId: "notion-ws-page",
    credentials: { accessToken: NOTION_TOKEN },
    config: { boardId: "board-page", boardName: "Client projects", workspaceName: "Studio HQ" },
  });
  await saveConnection(env.DB, env, {
    ...base,
    provider: "google",
    externalAccountId: "mail@studio.test",
    credentials: { refreshToken: "google-page-refresh" },
    config: { email: "mail@studio.test", scopes: ["https://www.googleapis.com/auth/gmail.send"] },
  });
  await setConnectionStatus(env.DB, owner.workspaceId, "google", "needs_reconnect");
  const delivered = await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "9901", "appointmentscheduled", 780001)]));
  expect(delivered.status).toBe(200);
});

describe("the /connections page", () => {
  it("shows per provider its status, account, scopes, token refresh, webhook URL and last event, in the dashboard", async () => {
    const response = await owner.browser.fetch("/connections");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('aria-current="page">Connections');
    expect(html).toContain('<meta name="csrf-token"');

    const hubspot = card(html, "hubspot");
    expect(hubspot).toContain('class="badge badge-ok">connected');
    expect(hubspot).toContain(PORTAL);
    for (const scope of SCOPES) expect(hubspot).toContain(`<li>${scope}</li>`);
    expect(hubspot).toContain('datetime="2026-10-02T08:30:00.000Z"');
    expect(hubspot).toContain('datetime="2026-09-01T10:00:00.000Z"');
    expect(hubspot).toContain('<code class="mono">https://clientflow.test/webhooks/hubspot</code>');
    expect(hubspot).toContain("deal.propertyChange");
    expect(hubspot).not.toContain("No events yet");
    expect(hubspot).not.toContain("pat-page-test");

    const stripe = card(html, "stripe");
    expect(stripe).toContain('class="badge badge-muted">not connected');
    expect(stripe).toContain("https://clientflow.test/webhooks/stripe");
    expect(stripe).toContain("No events yet");

    const notion = card(html, "notion");
    expect(notion).toContain("Client projects");
    expect(notion).toContain('href="/connections/notion/board">Choose board');
    expect(notion).toContain("The pages and databases you share with Clientflow in Notion");
    expect(notion).toContain("https://clientflow.test/webhooks/notion<");
    expect(notion).not.toContain("?workspace=");
    expect(notion).toContain("Not refreshed yet");

    const google = card(html, "google");
    expect(google).toContain('class="badge badge-warn">needs reconnect');
    expect(google).toContain("sends Clientflow no webhooks");
    expect(html).not.toContain("Sandbox</span>");
  });

  it("offers Connect when not connected, Reconnect and Disconnect otherwise (Reconnect first when the grant was refused)", async () => {
    const html = await (await owner.browser.fetch("/connections")).text();
    const stripe = card(html, "stripe");
    expect(stripe).toContain('href="/connect/stripe">Connect Stripe');
    expect(stripe).not.toContain("Disconnect");
    const hubspot = card(html, "hubspot");
    expect(hubspot).toContain('class="btn" href="/connect/hubspot">Reconnect HubSpot');
    expect(hubspot).toContain('action="/connections/hubspot/disconnect"');
    expect(hubspot).toContain(">Disconnect HubSpot");
    const google = card(html, "google");
    expect(google).toContain('class="btn btn-primary" href="/connect/google">Reconnect Google');
    expect(google).toContain('action="/connections/google/disconnect"');
  });

  it("labels the providers the local sandbox emulates", async () => {
    const response = await pageWithEnv({ SANDBOX_URL: "http://localhost:8788", SANDBOX_PROVIDERS: "stripe,notion" });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const provider of ["stripe", "notion"]) {
      expect(card(html, provider)).toContain('class="badge badge-info">Sandbox');
      expect(card(html, provider)).toContain("runs against the local emulator until a real account is connected");
    }
    expect(card(html, "hubspot")).not.toContain("Sandbox");
    expect(html).toContain('class="sandbox-banner"');
  });

  it("offers no dead Connect button when a provider's app is not configured, and none at all for a sandbox connection", async () => {
    await env.DB.prepare("UPDATE connections SET source = 'sandbox' WHERE workspace_id = ? AND provider = 'notion'")
      .bind(owner.workspaceId)
      .run();
    try {
      const html = await (
        await pageWithEnv({
          SANDBOX_URL: "http://localhost:8788",
          SANDBOX_PROVIDERS: "notion",
          NOTION_CLIENT_ID: "",
          STRIPE_CLIENT_ID: "",
        })
      ).text();
      const notion = card(html, "notion");
      expect(notion).not.toContain('href="/connect/notion"');
      expect(notion).not.toContain("Disconnect Notion");
      expect(notion).toContain("To connect a real Notion account");
      const stripe = card(html, "stripe");
      expect(stripe).not.toContain('href="/connect/stripe"');
      expect(stripe).toContain("To connect a real Stripe account");
      expect(stripe).toContain("STRIPE_CLIENT_ID and STRIPE_PLATFORM_SECRET_KEY are not set");
      // Sandboxed in this run, even with a client id set: Connect would only reach the emulator.
      const sandboxed = card(
        await (await pageWithEnv({ SANDBOX_URL: "http://localhost:8788", SANDBOX_PROVIDERS: "notion" })).text(),
        "notion",
      );
      expect(sandboxed).not.toContain('href="/connect/notion"');
      expect(sandboxed).toContain("in this run the sandbox stands in for it");
      // Configured and no longer sandboxed, while the sandbox connection is still stored: swap it for a real one.
      const configured = card(
        await (await pageWithEnv({ SANDBOX_URL: "http://localhost:8788", SANDBOX_PROVIDERS: "hubspot" })).text(),
        "notion",
      );
      expect(configured).toContain('href="/connect/notion">Connect a real Notion account');
    } finally {
      await env.DB.prepare("UPDATE connections SET source = 'oauth' WHERE workspace_id = ? AND provider = 'notion'")
        .bind(owner.workspaceId)
        .run();
    }
  });

  it("moves the Notion board picker into the dashboard", async () => {
    const html = await (await owner.browser.fetch("/connections/notion/board")).text();
    expect(html).toContain('aria-current="page">Connections');
    expect(html).toContain("Client projects");
    expect(html).toContain("<legend>Project board</legend>");
  });
});

describe("GET /api/connections", () => {
  it("answers the connections (no token), the webhook status per provider and the CSRF token", async () => {
    const response = await owner.browser.fetch("/api/connections");
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const secret of ["pat-page-test", NOTION_TOKEN, "google-page-refresh"]) expect(text).not.toContain(secret);
    const body = JSON.parse(text);
    expect(body.csrfToken).toBe(owner.csrf);
    expect(body.connections.find((c: { provider: string }) => c.provider === "hubspot")).toMatchObject({
      status: "active",
      externalAccountId: PORTAL,
      config: { scopes: SCOPES },
      lastRefreshedAt: "2026-10-02T08:30:00.000Z",
      createdAt: "2026-09-01T10:00:00.000Z",
    });
    expect(body.webhooks).toEqual([
      {
        provider: "hubspot",
        url: "https://clientflow.test/webhooks/hubspot",
        lastEvent: { type: "deal.propertyChange", receivedAt: expect.any(String), outcome: "ignored" },
      },
      { provider: "stripe", url: "https://clientflow.test/webhooks/stripe", lastEvent: null },
      {
        provider: "notion",
        url: "https://clientflow.test/webhooks/notion",
        lastEvent: null,
      },
      { provider: "google", url: null, lastEvent: null },
    ]);
    expect(body.sandboxProviders).toEqual([]);
    const doc = await (await owner.browser.fetch("/api/openapi.json")).json();
    expect(Object.keys((doc as { paths: object }).paths)).toEqual(
      expect.arrayContaining(["/connections", "/events", "/events/{id}/replay"]),
    );
  });
});
