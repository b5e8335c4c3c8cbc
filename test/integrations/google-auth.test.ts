import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accessToken } from "../../src/connections/access-token";
import { ConnectionError } from "../../src/errors";
import { getConnection } from "../../src/store/connections";
import { connectWorkspace, GOOGLE_REFRESH, useWorld } from "../world";

const world = useWorld();

const tokenCalls = () => world.google.requests.matching("POST", "/token").length;

describe("Google access tokens", () => {
  it("refreshes when there is none, reuses it while fresh, refreshes again once expired", async () => {
    await connectWorkspace(env, "ws-google-refresh", "5510001");
    const before = tokenCalls();
    const first = await accessToken(env, "ws-google-refresh", "google");
    expect(first).toMatch(/^ya29\.fake-access-/);
    expect(tokenCalls()).toBe(before + 1);

    const stored = await getConnection(env.DB, env, "ws-google-refresh", "google");
    expect(stored.credentials).toMatchObject({ refreshToken: GOOGLE_REFRESH, accessToken: first });
    const expiresAt = stored.credentials.expiresAt ?? 0;
    expect(expiresAt).toBeGreaterThan(Date.now() + 3_000_000);

    expect(await accessToken(env, "ws-google-refresh", "google")).toBe(first);
    expect(tokenCalls()).toBe(before + 1);

    // Within five minutes of expiry counts as expired.
    const later = await accessToken(env, "ws-google-refresh", "google", { now: expiresAt - 30_000 });
    expect(later).not.toBe(first);
    expect(tokenCalls()).toBe(before + 2);
  });

  it("a revoked refresh token marks the connection needs_reconnect and says so", async () => {
    await connectWorkspace(env, "ws-google-revoked", "5510002");
    world.google.refreshTokens.delete(GOOGLE_REFRESH);
    try {
      const failure = await accessToken(env, "ws-google-revoked", "google").catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConnectionError);
      expect((failure as Error).message).toContain("Reconnect google");
      const row = await env.DB.prepare("SELECT status FROM connections WHERE workspace_id = ? AND provider = 'google'")
        .bind("ws-google-revoked")
        .first<{ status: string }>();
      expect(row?.status).toBe("needs_reconnect");
      await expect(getConnection(env.DB, env, "ws-google-revoked", "google")).rejects.toThrow("Reconnect google");
    } finally {
      world.google.refreshTokens.add(GOOGLE_REFRESH);
    }
  });
});
