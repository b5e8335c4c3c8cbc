import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getConnection, saveConnection } from "../../src/store/connections";
import { releaseRefreshLease, renewRefreshLease, takeRefreshLease } from "../../src/store/refresh-leases";
import { writeWorkspace } from "../../src/store/workspaces";

const WS = "ws-refresh-lease";
let connectionId = 0;

const lastRefreshed = async () =>
  (
    await env.DB.prepare("SELECT last_refreshed_at FROM connections WHERE id = ?")
      .bind(connectionId)
      .first<{ last_refreshed_at: string | null }>()
  )?.last_refreshed_at ?? null;

beforeAll(async () => {
  await writeWorkspace(env.DB, { id: WS, name: "Lease", settings: {} });
  await saveConnection(env.DB, env, {
    workspaceId: WS,
    provider: "google",
    externalAccountId: null,
    credentials: { refreshToken: "1//lease" },
    config: {},
    source: "oauth",
  });
  connectionId = (await getConnection(env.DB, env, WS, "google")).id;
});

describe("the refresh lease on a connection", () => {
  it("is held by one caller until released or run out", async () => {
    const now = 1_000_000;
    expect(await takeRefreshLease(env.DB, connectionId, "a", now, now + 20_000)).toBe(true);
    expect(await takeRefreshLease(env.DB, connectionId, "b", now + 1, now + 20_001)).toBe(false);
    expect(await takeRefreshLease(env.DB, connectionId, "b", now + 19_999, now + 39_999)).toBe(false);
    // A holder that died: its lease runs out and the next caller takes over.
    expect(await takeRefreshLease(env.DB, connectionId, "c", now + 20_001, now + 40_001)).toBe(true);
    await releaseRefreshLease(env.DB, connectionId, "c", false);
    expect(await takeRefreshLease(env.DB, connectionId, "d", now + 20_002, now + 40_002)).toBe(true);
    await releaseRefreshLease(env.DB, connectionId, "d", false);
  });

  it("is released and renewed only by the caller holding it, not by one whose lease was taken over", async () => {
    const now = 3_000_000;
    expect(await takeRefreshLease(env.DB, connectionId, "slow", now, now + 20_000)).toBe(true);
    // The slow holder's lease runs out; another caller takes it over.
    expect(await takeRefreshLease(env.DB, connectionId, "next", now + 20_001, now + 40_001)).toBe(true);
    // The slow holder finishes late: its release and renewal leave the new holder's lease alone.
    await releaseRefreshLease(env.DB, connectionId, "slow", false);
    expect(await renewRefreshLease(env.DB, connectionId, "slow", now + 20_002, now + 60_000)).toBe(false);
    expect(await takeRefreshLease(env.DB, connectionId, "third", now + 20_003, now + 40_003)).toBe(false);
    // Still held until the new holder's own deadline, not the slow one's renewal.
    expect(await takeRefreshLease(env.DB, connectionId, "third", now + 40_002, now + 60_002)).toBe(true);
    expect(await renewRefreshLease(env.DB, connectionId, "third", now + 40_003, now + 80_000)).toBe(true);
    expect(await takeRefreshLease(env.DB, connectionId, "fourth", now + 60_003, now + 80_003)).toBe(false);
    await releaseRefreshLease(env.DB, connectionId, "third", false);
    expect(await takeRefreshLease(env.DB, connectionId, "fourth", now + 60_004, now + 80_004)).toBe(true);
    await releaseRefreshLease(env.DB, connectionId, "fourth", false);
  });

  it("stamps the refresh time only when the refresh succeeded", async () => {
    const before = await lastRefreshed();
    expect(await takeRefreshLease(env.DB, connectionId, "e", 2_000_000, 2_020_000)).toBe(true);
    await releaseRefreshLease(env.DB, connectionId, "e", false);
    expect(await lastRefreshed()).toBe(before);
    expect(await takeRefreshLease(env.DB, connectionId, "f", 2_000_001, 2_020_001)).toBe(true);
    await releaseRefreshLease(env.DB, connectionId, "f", true);
    expect(await lastRefreshed()).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
