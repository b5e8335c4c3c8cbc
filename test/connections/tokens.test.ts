import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hubspotClient } from "../../integrations/hubspot/client";
import { accessToken } from "../../src/connections/access-token";
import { withConnection } from "../../src/connections/action-context";
import { ConnectionError } from "../../src/errors";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { getConnection, type Provider, saveConnection } from "../../src/store/connections";
import { useWorld } from "../world";
import { connected } from "./oauth-connected";

const world = useWorld();
const contact = z.object({ id: z.string() });

/** Reads a HubSpot contact through the workspace's connection context (as actions and the app do). */
const readContact = (workspaceId: string, id: string) =>
  withConnection(env, workspaceId, "hubspot", (ctx) =>
    hubspotClient(ctx).request("GET", `/crm/v3/objects/contacts/${id}`, contact),
  );

const status = async (workspaceId: string, provider: Provider) =>
  (await env.DB.prepare("SELECT status, last_refreshed_at FROM connections WHERE workspace_id = ? AND provider = ?")
    .bind(workspaceId, provider)
    .first<{ status: string; last_refreshed_at: string | null }>()) ?? { status: "missing", last_refreshed_at: null };

describe("the token accessor", () => {
  it("refreshes a HubSpot token ahead of its 30-minute expiry and stores the new one", async () => {
    const old = await connected("ws-tok-expiry", "hubspot", world.hubspot.oauth, Date.now() + 60_000);
    world.hubspot.contacts.set("41", { email: "x@client.test" });
    const calls = world.hubspot.oauth.tokenCalls;
    await readContact("ws-tok-expiry", "41");
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
    const [refresh] = world.hubspot.requests.matching("POST", "/oauth/2026-03/token").slice(-1);
    expect(refresh?.body).toMatchObject({ grant_type: "refresh_token", refresh_token: old.refresh_token });
    const { credentials } = await getConnection(env.DB, env, "ws-tok-expiry", "hubspot");
    expect(credentials.accessToken).not.toBe(old.access_token);
    expect(credentials.expiresAt).toBeGreaterThan(Date.now() + 29 * 60_000);
    const [read] = world.hubspot.requests.matching("GET", "/crm/v3/objects/contacts/41").slice(-1);
    expect(read?.headers.authorization).toBe(`Bearer ${credentials.accessToken}`);
    expect((await status("ws-tok-expiry", "hubspot")).last_refreshed_at).not.toBeNull();
  });

  it("refreshes once on a 401 and repeats the call", async () => {
    await connected("ws-tok-401", "hubspot", world.hubspot.oauth, Date.now() + 20 * 60_000);
    world.hubspot.contacts.set("42", { email: "y@client.test" });
    world.hubspot.oauth.invalidateAccessTokens();
    const calls = world.hubspot.oauth.tokenCalls;
    const before = world.hubspot.requests.matching("GET", "/crm/v3/objects/contacts/42").length;
    const result = await readContact("ws-tok-401", "42");
    expect(result.id).toBe("42");
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
    expect(world.hubspot.requests.matching("GET", "/crm/v3/objects/contacts/42").length).toBe(before + 2);
  });

  it("a freshly refreshed token refused again marks the connection needs_reconnect (ConnectionError)", async () => {
    await connected("ws-tok-401-twice", "hubspot", world.hubspot.oauth, Date.now() + 20 * 60_000);
    world.network.use(
      http.get(`${env.HUBSPOT_API_BASE}/crm/v3/objects/contacts/43`, () =>
        HttpResponse.json({ status: "error", message: "Authentication credentials not found." }, { status: 401 }),
      ),
    );
    const calls = world.hubspot.oauth.tokenCalls;
    const failure = await readContact("ws-tok-401-twice", "43").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as ConnectionError).tokenRejected).toBe(true);
    expect((failure as Error).message).toBe("Reconnect hubspot: hubspot rejected a freshly refreshed token");
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
    expect((await status("ws-tok-401-twice", "hubspot")).status).toBe("needs_reconnect");
  });

  it("serializes concurrent refreshes of one connection into one token call", async () => {
    await connected("ws-tok-race", "hubspot", world.hubspot.oauth, Date.now() - 1_000);
    const calls = world.hubspot.oauth.tokenCalls;
    const tokens = await Promise.all(Array.from({ length: 8 }, () => accessToken(env, "ws-tok-race", "hubspot")));
    expect(new Set(tokens).size).toBe(1);
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
  });

  it("waits for a refresh another isolate holds the lease for, instead of refreshing twice", async () => {
    const old = await connected("ws-tok-lease", "hubspot", world.hubspot.oauth, Date.now() - 1_000);
    await env.DB.prepare("UPDATE connections SET refresh_lease_until = ? WHERE workspace_id = 'ws-tok-lease'")
      .bind(Date.now() + 20_000)
      .run();
    const calls = world.hubspot.oauth.tokenCalls;
    const waiting = accessToken(env, "ws-tok-lease", "hubspot");
    // The other isolate finishes: new token stored, lease released.
    await new Promise((r) => setTimeout(r, 400));
    const other = world.hubspot.oauth.mint({ hubId: "ws-tok-lease" });
    await saveConnection(env.DB, env, {
      workspaceId: "ws-tok-lease",
      provider: "hubspot",
      externalAccountId: null,
      credentials: {
        accessToken: other.access_token,
        refreshToken: old.refresh_token,
        expiresAt: Date.now() + 1_800_000,
      },
      config: {},
      source: "oauth",
    });
    await env.DB.prepare("UPDATE connections SET refresh_lease_until = NULL WHERE workspace_id = 'ws-tok-lease'").run();
    expect(await waiting).toBe(other.access_token);
    expect(world.hubspot.oauth.tokenCalls).toBe(calls);
  });

  it("stores the rotated refresh token (Notion, Stripe) so the next refresh still works", async () => {
    const first = await connected("ws-tok-rotate", "notion", world.notion.oauth, Date.now() - 1_000);
    await accessToken(env, "ws-tok-rotate", "notion");
    const after = (await getConnection(env.DB, env, "ws-tok-rotate", "notion")).credentials;
    expect(after.refreshToken).not.toBe(first.refresh_token);
    expect(world.notion.oauth.liveRefreshTokens).not.toContain(first.refresh_token);
    // Force another refresh: it must use the rotated token and succeed.
    const again = await accessToken(env, "ws-tok-rotate", "notion", { stale: after.accessToken });
    expect(again).not.toBe(after.accessToken);
    expect((await status("ws-tok-rotate", "notion")).status).toBe("active");
  });

  it("a revoked grant (invalid_grant) marks the connection needs_reconnect with a clear error", async () => {
    await connected("ws-tok-revoked", "hubspot", world.hubspot.oauth, Date.now() - 1_000);
    world.hubspot.oauth.revokeAll();
    const failure = await accessToken(env, "ws-tok-revoked", "hubspot").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as Error).message).toBe("Reconnect hubspot: the grant was revoked or expired");
    expect((await status("ws-tok-revoked", "hubspot")).status).toBe("needs_reconnect");
    await expect(accessToken(env, "ws-tok-revoked", "hubspot")).rejects.toThrow("Reconnect hubspot");
  });

  it("a rejected credential that cannot be refreshed (a pasted key) needs reconnecting", async () => {
    await upsertWorkspace(env.DB, { id: "ws-tok-key", name: "key", settings: {} });
    await saveConnection(env.DB, env, {
      workspaceId: "ws-tok-key",
      provider: "hubspot",
      externalAccountId: null,
      credentials: { accessToken: "pat-revoked-by-owner" },
      config: {},
      source: "key",
    });
    await expect(readContact("ws-tok-key", "41")).rejects.toThrow("Reconnect hubspot");
    expect((await status("ws-tok-key", "hubspot")).status).toBe("needs_reconnect");
  });
});
