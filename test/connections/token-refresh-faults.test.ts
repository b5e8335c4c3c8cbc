import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { accessToken } from "../../src/connections/access-token";
import type { AppEnv } from "../../src/env";
import { IntegrationError } from "../../src/errors";
import { getConnection, type Provider } from "../../src/store/connections";
import { useWorld } from "../world";
import { connected } from "./oauth-connected";

const world = useWorld();

/**
 * The env with a D1 whose writes of connection credentials fail the first
 * `failures` times (a D1 outage right after the provider answered); every
 * other statement goes through.
 */
function failingCredentialWrites(failures: number): AppEnv & { failed: () => number } {
  let failed = 0;
  const db = env.DB;
  const prepare = (sql: string): D1PreparedStatement => {
    const statement = db.prepare(sql);
    if (!sql.includes("SET credentials")) return statement;
    const bind = (...values: unknown[]) => {
      const bound = statement.bind(...values);
      const run = async () => {
        if (failed < failures) {
          failed += 1;
          throw new Error("D1_ERROR: simulated write failure");
        }
        return bound.run();
      };
      return { run } as unknown as D1PreparedStatement;
    };
    return { bind } as unknown as D1PreparedStatement;
  };
  const flaky = new Proxy(db, {
    get: (target, prop) => (prop === "prepare" ? prepare : Reflect.get(target, prop, target)),
  });
  return { ...env, DB: flaky, failed: () => failed };
}

const row = (workspaceId: string, provider: Provider) =>
  env.DB.prepare(
    "SELECT status, refresh_lease_until, refresh_lease_owner FROM connections WHERE workspace_id = ? AND provider = ?",
  )
    .bind(workspaceId, provider)
    .first<{ status: string; refresh_lease_until: number | null; refresh_lease_owner: string | null }>();

describe("token refresh under faults", () => {
  it("retries a failed credential write, so Notion's rotated refresh token is stored", async () => {
    const first = await connected("ws-rf-retry", "notion", world.notion.oauth);
    const flaky = failingCredentialWrites(1);
    const token = await accessToken(flaky, "ws-rf-retry", "notion", { stale: first.access_token });
    expect(flaky.failed()).toBe(1);
    const stored = (await getConnection(env.DB, env, "ws-rf-retry", "notion")).credentials;
    expect(stored.accessToken).toBe(token);
    expect(stored.refreshToken).not.toBe(first.refresh_token);
    expect(world.notion.oauth.liveRefreshTokens).toContain(stored.refreshToken);
    expect(await row("ws-rf-retry", "notion")).toMatchObject({ refresh_lease_until: null, refresh_lease_owner: null });
  });

  it("keeps refreshed tokens it could not store; the next caller uses and stores them instead of reconnecting", async () => {
    const first = await connected("ws-rf-kept", "notion", world.notion.oauth);
    const calls = world.notion.oauth.tokenCalls;
    const down = failingCredentialWrites(Number.POSITIVE_INFINITY);
    const token = await accessToken(down, "ws-rf-kept", "notion", { stale: first.access_token });
    expect(down.failed()).toBeGreaterThan(1);
    // The old refresh token is dead at Notion; the row still holds it.
    expect(world.notion.oauth.liveRefreshTokens).not.toContain(first.refresh_token);
    expect((await getConnection(env.DB, env, "ws-rf-kept", "notion")).credentials.refreshToken).toBe(
      first.refresh_token,
    );
    // D1 is back: the next caller gets the kept token and stores it, with no second token call.
    expect(await accessToken(env, "ws-rf-kept", "notion")).toBe(token);
    expect(world.notion.oauth.tokenCalls).toBe(calls + 1);
    const stored = (await getConnection(env.DB, env, "ws-rf-kept", "notion")).credentials;
    expect(stored.accessToken).toBe(token);
    expect(world.notion.oauth.liveRefreshTokens).toContain(stored.refreshToken);
    // And refreshing again works with the stored, rotated token.
    expect(await accessToken(env, "ws-rf-kept", "notion", { stale: token })).not.toBe(token);
    expect((await row("ws-rf-kept", "notion"))?.status).toBe("active");
  });

  it("times the token call out inside the lease: a retryable error, the lease given back, the next try works", async () => {
    await connected("ws-rf-timeout", "hubspot", world.hubspot.oauth, Date.now() - 1_000);
    let aborted = false;
    world.network.use(
      http.post(
        `${env.HUBSPOT_API_BASE}/oauth/2026-03/token`,
        ({ request }) =>
          new Promise<Response>((resolve) => {
            // The provider never answers; only the caller's timeout ends the call.
            request.signal.addEventListener("abort", () => {
              aborted = true;
              resolve(HttpResponse.error());
            });
          }),
        { once: true },
      ),
    );
    const failure = await accessToken(env, "ws-rf-timeout", "hubspot", { refreshTimeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(IntegrationError);
    expect((failure as IntegrationError).retryable).toBe(true);
    expect((failure as Error).message).toBe("hubspot token endpoint timed out");
    expect(aborted).toBe(true);
    expect(await row("ws-rf-timeout", "hubspot")).toMatchObject({
      status: "active",
      refresh_lease_until: null,
      refresh_lease_owner: null,
    });
    const token = await accessToken(env, "ws-rf-timeout", "hubspot");
    expect((await getConnection(env.DB, env, "ws-rf-timeout", "hubspot")).credentials.accessToken).toBe(token);
  });
});
