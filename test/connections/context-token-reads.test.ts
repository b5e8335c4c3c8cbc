import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { withConnection } from "../../src/connections/action-context";
import type { AppEnv } from "../../src/env";
import { getConnection } from "../../src/store/connections";
import { useWorld } from "../world";
import { connected } from "./oauth-connected";

const world = useWorld();

/** The env with a D1 that counts reads of connection rows (every other statement passes untouched). */
function countingConnectionReads(): AppEnv & { reads: () => number } {
  let reads = 0;
  const db = env.DB;
  const counted = new Proxy(db, {
    get: (target, prop) =>
      prop === "prepare"
        ? (sql: string) => {
            if (/^SELECT \* FROM connections\b/.test(sql)) reads += 1;
            return target.prepare(sql);
          }
        : Reflect.get(target, prop, target),
  });
  return { ...env, DB: counted, reads: () => reads };
}

describe("a connection context reads its connection once, however many requests its action makes", () => {
  it("five token calls of one context make one read of the row; a new context reads it again", async () => {
    const minted = await connected("ws-ctx-reads", "hubspot", world.hubspot.oauth, Date.now() + 60 * 60_000);
    const counting = countingConnectionReads();
    const tokens = await withConnection(counting, "ws-ctx-reads", "hubspot", async (ctx) => {
      const given: string[] = [];
      for (let i = 0; i < 5; i++) given.push(await ctx.token());
      return given;
    });
    expect(tokens).toEqual(Array(5).fill(minted.access_token));
    expect(counting.reads()).toBe(1);
    await withConnection(counting, "ws-ctx-reads", "hubspot", (ctx) => ctx.token());
    expect(counting.reads()).toBe(2);
  });

  it("a forced refresh reads the row and refreshes; later calls of the context read the row, not the old token", async () => {
    const minted = await connected("ws-ctx-refresh", "hubspot", world.hubspot.oauth, Date.now() + 60 * 60_000);
    const counting = countingConnectionReads();
    const calls = world.hubspot.oauth.tokenCalls;
    const [first, renewed, after] = await withConnection(counting, "ws-ctx-refresh", "hubspot", async (ctx) => [
      await ctx.token(),
      await ctx.token({ forceRefresh: true }),
      await ctx.token(),
    ]);
    expect(first).toBe(minted.access_token);
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
    expect(renewed).not.toBe(minted.access_token);
    const stored = (await getConnection(env.DB, env, "ws-ctx-refresh", "hubspot")).credentials.accessToken;
    expect(renewed).toBe(stored);
    expect(after).toBe(stored);
    // The context's read, the refresh's reads, then the row again for the call after the refresh.
    const readsAfterRefresh = counting.reads();
    expect(readsAfterRefresh).toBeGreaterThanOrEqual(3);
    await withConnection(counting, "ws-ctx-refresh", "hubspot", async (ctx) => {
      await ctx.token();
      await ctx.token();
    });
    expect(counting.reads()).toBe(readsAfterRefresh + 1);
  });

  it("credentials read with a token near its expiry are refreshed before use, not handed out", async () => {
    const minted = await connected("ws-ctx-expiring", "hubspot", world.hubspot.oauth, Date.now() + 60_000);
    const calls = world.hubspot.oauth.tokenCalls;
    const token = await withConnection(env, "ws-ctx-expiring", "hubspot", (ctx) => ctx.token());
    expect(world.hubspot.oauth.tokenCalls).toBe(calls + 1);
    expect(token).not.toBe(minted.access_token);
    expect(token).toBe((await getConnection(env.DB, env, "ws-ctx-expiring", "hubspot")).credentials.accessToken);
  });
});
