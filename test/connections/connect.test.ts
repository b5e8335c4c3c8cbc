import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { hubspotClient } from "../../integrations/hubspot/client";
import { OWNED_DEAL_PROPERTIES } from "../../integrations/hubspot/prepare";
import { withConnection } from "../../src/connections/action-context";
import { getConnection } from "../../src/store/connections";
import { findOwner } from "../../src/store/owners";
import { TEST_BINDINGS as B } from "../bindings";
import { Browser, connect, location, signIn } from "../browser";
import { captureLogs, count, dealStageEvent, intakeTally, NOTION_BOARD, postHubspot, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const responses: string[] = [];

/** Every token the providers issued in a test: none may reach a log line or a response body. */
afterEach(() => {
  const issued = [world.hubspot, world.stripe, world.notion, world.google].flatMap((p) => [
    ...p.oauth.accessTokens.keys(),
    ...p.oauth.liveRefreshTokens,
  ]);
  const seen = `${logs.join("\n")}\n${responses.join("\n")}`;
  for (const token of issued) expect(seen).not.toContain(token);
  responses.length = 0;
});

async function owner(sub: string) {
  const session = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  return { ...session, workspaceId };
}

/** What the owner's pages and API show after connecting (checked for tokens after each test). */
async function shown(browser: Awaited<ReturnType<typeof owner>>["browser"]) {
  for (const path of ["/connections", "/api/connections"]) responses.push(await (await browser.fetch(path)).text());
  return responses.join("\n");
}

async function storedCredentials(workspaceId: string, provider: string) {
  const row = await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = ? AND provider = ?")
    .bind(workspaceId, provider)
    .first<{ credentials: string }>();
  return row?.credentials ?? "";
}

/** The emulated HubSpot account as one that never had Clientflow's deal properties. */
function freshAccount() {
  for (const { name } of OWNED_DEAL_PROPERTIES) world.hubspot.dealProperties.delete(name);
}

describe("connecting accounts", () => {
  it("HubSpot: consent → tokens sealed with the hub id; webhooks for that portal now route to the workspace", async () => {
    const { browser, workspaceId } = await owner("owner-hubspot");
    const start = await browser.fetch("/connect/hubspot");
    const url = new URL(location(start));
    expect(`${url.origin}${url.pathname}`).toBe(`${B.HUBSPOT_APP_BASE}/oauth/authorize`);
    expect(url.searchParams.get("scope")?.split(" ")).toContain("crm.objects.deals.write");
    expect(url.searchParams.get("redirect_uri")).toBe("https://clientflow.test/oauth/hubspot/callback");
    const { code, state } = await world.hubspot.oauth.consent(url.toString(), { hubId: 6600001 });
    const callback = await browser.fetch(`/oauth/hubspot/callback?code=${code}&state=${state}`);
    expect(callback.status).toBe(302);
    expect(location(callback)).toBe("/connections?connected=hubspot");

    const connection = await getConnection(env.DB, env, workspaceId, "hubspot");
    expect(connection).toMatchObject({ externalAccountId: "6600001", source: "oauth", status: "active" });
    expect(connection.credentials.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);
    const sealed = await storedCredentials(workspaceId, "hubspot");
    for (const t of [connection.credentials.accessToken, connection.credentials.refreshToken])
      expect(sealed).not.toContain(t);
    const [exchange] = world.hubspot.requests.matching("POST", "/oauth/2026-03/token");
    expect(exchange?.body).toMatchObject({ grant_type: "authorization_code", client_id: B.HUBSPOT_CLIENT_ID, code });

    expect(await shown(browser)).toContain("6600001");
    const webhook = await postHubspot(JSON.stringify([dealStageEvent("6600001", "9001", "qualifiedtobuy", 660001)]));
    expect(webhook.status).toBe(200);
    expect(await intakeTally(webhook)).toMatchObject({ ignored: 1, unknownTenant: 0 });
  });

  it("HubSpot: the new account gets Clientflow's deal properties at once, so no journey's deal write is refused", async () => {
    const { browser, workspaceId } = await owner("owner-hubspot-props");
    freshAccount();
    const creates = world.hubspot.requests.matching("POST", "/crm/v3/properties/deals").length;
    const start = await browser.fetch("/connect/hubspot");
    const { code, state } = await world.hubspot.oauth.consent(location(start), { hubId: 6600011 });
    expect((await browser.fetch(`/oauth/hubspot/callback?code=${code}&state=${state}`)).status).toBe(302);
    const owned = [...OWNED_DEAL_PROPERTIES.map((d) => d.name)];
    expect(owned).toEqual(
      expect.arrayContaining(["clientflow_status", "clientflow_survey_score", "clientflow_lead_id"]),
    );
    for (const name of owned) expect(world.hubspot.dealProperties.has(name), name).toBe(true);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/properties/deals").length - creates).toBe(owned.length);
    // A journey's deal write now goes through at once (without the properties HubSpot answers 400).
    world.hubspot.addDeal("8800011", { properties: { dealname: "Props" } });
    const written = await withConnection(env, workspaceId, "hubspot", (ctx) =>
      hubspotClient(ctx).request("PATCH", "/crm/v3/objects/deals/8800011", z.unknown(), {
        properties: { clientflow_status: "Onboarding", clientflow_survey_score: "9" },
      }),
    );
    expect(written).toMatchObject({ properties: { clientflow_status: "Onboarding", clientflow_survey_score: "9" } });
  });

  it("HubSpot: an account that refuses the property creates is still connected; the journeys create them later", async () => {
    const { browser, workspaceId } = await owner("owner-hubspot-noprops");
    freshAccount();
    world.network.use(
      http.post(`${env.HUBSPOT_API_BASE}/crm/v3/properties/deals`, () =>
        HttpResponse.json(
          { status: "error", message: "This app hasn't been granted all required scopes", category: "MISSING_SCOPES" },
          { status: 403 },
        ),
      ),
    );
    const start = await browser.fetch("/connect/hubspot");
    const { code, state } = await world.hubspot.oauth.consent(location(start), { hubId: 6600012 });
    const callback = await browser.fetch(`/oauth/hubspot/callback?code=${code}&state=${state}`);
    expect(location(callback)).toBe("/connections?connected=hubspot");
    expect(await getConnection(env.DB, env, workspaceId, "hubspot")).toMatchObject({ status: "active" });
    expect(world.hubspot.dealProperties.has("clientflow_status")).toBe(false);
    const warning = logs.find((line) => line.includes("connected account not prepared"));
    expect(warning).toContain('"provider":"hubspot"');
  });

  it("Google: offline access with consent and PKCE; the ID token names the account", async () => {
    const { browser, workspaceId } = await owner("owner-google");
    let authorize = "";
    const callback = await connect(
      browser,
      (url) => {
        authorize = url;
        return world.google.consent(url, { sub: "gmail-sub-1", email: "studio-mail@studio.test" });
      },
      "google",
    );
    expect(location(callback)).toBe("/connections?connected=google");
    const params = new URL(authorize).searchParams;
    expect(params.get("access_type")).toBe("offline");
    expect(params.get("prompt")).toBe("consent");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("scope")?.split(" ")).toEqual([
      "openid",
      "email",
      "https://www.googleapis.com/auth/gmail.send",
      "https://www.googleapis.com/auth/calendar.events",
    ]);
    const connection = await getConnection(env.DB, env, workspaceId, "google");
    expect(connection).toMatchObject({
      externalAccountId: "studio-mail@studio.test",
      config: { email: "studio-mail@studio.test" },
    });
    expect(connection.credentials.refreshToken).toMatch(/^google-refresh-/);
    expect(await shown(browser)).toContain("studio-mail@studio.test");
  });

  it("Notion: Basic-auth token exchange, then the owner picks the board from the shared data sources", async () => {
    const { browser, csrf, workspaceId } = await owner("owner-notion");
    const callback = await connect(
      browser,
      (url) => world.notion.oauth.consent(url, { workspaceId: "notion-ws-1", workspaceName: "Studio HQ" }),
      "notion",
    );
    expect(location(callback)).toBe("/connections/notion/board");
    const [exchange] = world.notion.requests.matching("POST", "/v1/oauth/token");
    expect(exchange?.headers.authorization).toBe(`Basic ${btoa(`${B.NOTION_CLIENT_ID}:${B.NOTION_CLIENT_SECRET}`)}`);

    const picker = await browser.fetch("/connections/notion/board");
    const html = await picker.text();
    expect(html).toContain("Client projects");
    expect(html).toContain("Reading list");
    const notShared = await browser.post("/connections/notion/board", { boardId: "not-a-shared-board" }, csrf);
    expect(notShared.status).toBe(400);
    const picked = await browser.post("/connections/notion/board", { boardId: NOTION_BOARD }, csrf);
    expect(picked.status).toBe(303);
    // The Notion card shows the chosen board (the page and the API).
    expect(await shown(browser)).toContain('Client projects <a href="/connections/notion/board">Choose board</a>');
    expect(responses.join("\n")).toContain('"boardName":"Client projects"');
    const connection = await getConnection(env.DB, env, workspaceId, "notion");
    expect(connection).toMatchObject({
      externalAccountId: "notion-ws-1",
      config: { boardId: NOTION_BOARD, boardName: "Client projects", workspaceName: "Studio HQ", botId: "bot-0001" },
    });
  });

  it("Notion: a token response with refresh_token: null connects; the token works until Notion refuses it, then reconnect", async () => {
    const { browser, workspaceId } = await owner("owner-notion-no-refresh");
    const callback = await connect(
      browser,
      (url) =>
        world.notion.oauth.consent(url, {
          workspaceId: "notion-ws-2",
          workspaceName: "Studio Two",
          refreshToken: null,
        }),
      "notion",
    );
    expect(location(callback)).toBe("/connections/notion/board");
    const connection = await getConnection(env.DB, env, workspaceId, "notion");
    expect(connection).toMatchObject({ externalAccountId: "notion-ws-2", status: "active" });
    expect(connection.credentials.accessToken).toMatch(/^notion-access-/);
    expect(connection.credentials.refreshToken).toBeUndefined();

    // The token works: the board picker lists the shared data sources with it.
    expect(await (await browser.fetch("/connections/notion/board")).text()).toContain("Client projects");

    // Notion refuses the token: with nothing to refresh, no token call is made and the owner must reconnect.
    const tokenCalls = world.notion.oauth.tokenCalls;
    world.notion.oauth.revoke(connection.credentials.accessToken ?? "");
    const refused = await browser.fetch("/connections/notion/board");
    expect(refused.status).toBe(409);
    expect(world.notion.oauth.tokenCalls).toBe(tokenCalls);
    const row = await env.DB.prepare("SELECT status FROM connections WHERE workspace_id = ? AND provider = 'notion'")
      .bind(workspaceId)
      .first<{ status: string }>();
    expect(row?.status).toBe("needs_reconnect");
  });

  it("Stripe: app install with the platform key as Basic user", async () => {
    const { browser, workspaceId } = await owner("owner-stripe");
    const callback = await connect(
      browser,
      (url) => world.stripe.oauth.consent(url, { accountId: "acct_business0001" }),
      "stripe",
    );
    expect(location(callback)).toBe("/connections?connected=stripe");
    const [exchange] = world.stripe.requests.matching("POST", "/v1/oauth/token");
    expect(exchange?.headers.authorization).toBe(`Basic ${btoa(`${B.STRIPE_PLATFORM_SECRET_KEY}:`)}`);
    expect(await getConnection(env.DB, env, workspaceId, "stripe")).toMatchObject({
      externalAccountId: "acct_business0001",
      source: "oauth",
    });
    expect(await shown(browser)).toContain("acct_business0001");
  });

  it("refuses wrong, reused or foreign state and reports a provider's refusal", async () => {
    const { browser } = await owner("owner-states");
    const start = await browser.fetch("/connect/hubspot");
    const { code, state } = await world.hubspot.oauth.consent(location(start), { hubId: 6600009 });
    expect((await browser.fetch(`/oauth/hubspot/callback?code=${code}&state=wrong`)).status).toBe(403);
    // A state started for HubSpot cannot finish another provider's flow.
    expect((await browser.fetch(`/oauth/notion/callback?code=${code}&state=${state}`)).status).toBe(403);
    expect((await browser.fetch(`/oauth/hubspot/callback?code=${code}&state=${state}`)).status).toBe(403);

    const second = await browser.fetch("/connect/hubspot");
    const secondState = new URL(location(second)).searchParams.get("state") ?? "";
    const intruder = await owner("owner-intruder");
    expect((await intruder.browser.fetch(`/oauth/hubspot/callback?code=x&state=${secondState}`)).status).toBe(403);

    // Ten minutes later the state has expired.
    const slow = await browser.fetch("/connect/hubspot");
    const slowConsent = await world.hubspot.oauth.consent(location(slow), { hubId: 6600009 });
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE purpose = 'connect:hubspot'")
      .bind(Date.now() - 1)
      .run();
    expect(
      (await browser.fetch(`/oauth/hubspot/callback?code=${slowConsent.code}&state=${slowConsent.state}`)).status,
    ).toBe(403);

    // Same browser and flow cookie, but another owner's session by the time the callback comes.
    const fourth = await browser.fetch("/connect/hubspot");
    const fourthState = new URL(location(fourth)).searchParams.get("state") ?? "";
    const flowCookie = browser.cookies.get("__Host-cf_flow") ?? "";
    await signIn(world, { sub: "owner-switched", email: "switched@studio.test" }, browser);
    browser.cookies.set("__Host-cf_flow", flowCookie);
    const switched = await browser.fetch(`/oauth/hubspot/callback?code=x&state=${fourthState}`);
    expect(switched.status).toBe(403);
    expect(logs.some((l) => l.includes("connection finished in another browser or session"))).toBe(true);

    const third = await browser.fetch("/connect/hubspot");
    const thirdState = new URL(location(third)).searchParams.get("state") ?? "";
    const denied = await browser.fetch(`/oauth/hubspot/callback?error=access_denied&state=${thirdState}`);
    expect(denied.status).toBe(302);
    expect(location(denied)).toBe("/connections?refused=hubspot&reason=access_denied");
    expect(await count(env, "connections", "external_account_id = '6600009'")).toBe(0);
    expect((await new Browser().fetch("/connect/hubspot")).status).toBe(302);
  });

  it("disconnects: revokes at the provider and deletes the tokens", async () => {
    const { browser, csrf, workspaceId } = await owner("owner-disconnect");
    await connect(
      browser,
      (url) => world.google.consent(url, { sub: "gmail-sub-2", email: "bye@studio.test" }),
      "google",
    );
    const { credentials } = await getConnection(env.DB, env, workspaceId, "google");
    const response = await browser.fetch("/connections/google", {
      method: "DELETE",
      headers: { "x-csrf-token": csrf },
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ provider: "google", disconnected: true, revokedAtProvider: true });
    const [revoke] = world.google.requests.matching("POST", "/revoke");
    expect(revoke?.body).toEqual({ token: credentials.refreshToken });
    expect(world.google.oauth.liveRefreshTokens).not.toContain(credentials.refreshToken);
    expect(await count(env, "connections", "workspace_id = ?", workspaceId)).toBe(0);
    expect(
      (await browser.fetch("/connections/google", { method: "DELETE", headers: { "x-csrf-token": csrf } })).status,
    ).toBe(404);
    for (const secret of [credentials.accessToken ?? "?", credentials.refreshToken ?? "?"]) {
      expect(body).not.toContain(secret);
      expect(logs.join("\n")).not.toContain(secret);
    }
  });
});
