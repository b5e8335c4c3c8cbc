import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkWarnings } from "../../src/maintenance/connection-warnings";
import { googleTestingVerdict } from "../../src/maintenance/health-warnings";
import { connectionChecksOf } from "../../src/store/connection-checks";
import { findOwner } from "../../src/store/owners";
import { connect, location, signIn } from "../browser";
import { SENDER_EMAIL, useWorld } from "../world";

const world = useWorld();
const DAY = 24 * 60 * 60_000;

/** What the grant recorded: when Google said its refresh token ends. */
async function recordedEnd(workspaceId: string): Promise<string | null> {
  const row = await env.DB.prepare(
    "SELECT refresh_expires_at FROM connections WHERE workspace_id = ?1 AND provider = 'google'",
  )
    .bind(workspaceId)
    .first<{ refresh_expires_at: string | null }>();
  return row?.refresh_expires_at ?? null;
}

describe("Google testing mode, warned of before the grant dies", () => {
  it("records refresh_token_expires_in at grant time, warns from the next run, and clears on a grant without it", async () => {
    const owner = await signIn(world, { sub: "grant-end-owner", email: "grant-end@studio.test" });
    const ws = (await findOwner(env.DB, "grant-end-owner"))?.workspaceId ?? "";
    const consent = (url: string) => world.google.consent(url, { sub: "grant-end-google", email: SENDER_EMAIL });

    // An OAuth app in "Testing": Google's code exchange answers refresh_token_expires_in 604799 (seven days).
    world.google.refreshTokenExpiresIn = 604799;
    const before = Date.now();
    expect(location(await connect(owner.browser, consent, "google"))).toBe("/connections?connected=google");
    const end = Date.parse((await recordedEnd(ws)) ?? "");
    expect(end).toBeGreaterThanOrEqual(before + 604799_000);
    expect(end).toBeLessThanOrEqual(Date.now() + 604799_000);

    await checkWarnings(env, Date.now());
    const warned = (await connectionChecksOf(env.DB, ws)).find((c) => c.kind === "google_testing");
    expect(warned).toMatchObject({ provider: "google", status: "warning", errorClass: "google_grant_ending" });
    expect(warned?.hint).toContain(
      `Google will end Clientflow's access on ${new Date(end).toISOString().slice(0, 10)}`,
    );
    expect(warned?.hint).toContain('"Publish app"');

    // Published, then reconnected: the new grant names no end, and the warning clears.
    world.google.refreshTokenExpiresIn = undefined;
    expect(location(await connect(owner.browser, consent, "google"))).toBe("/connections?connected=google");
    expect(await recordedEnd(ws)).toBeNull();
    await checkWarnings(env, Date.now());
    expect((await connectionChecksOf(env.DB, ws)).find((c) => c.kind === "google_testing")?.status).toBe("ok");
  });

  it("warns of a longer time-limited grant only in its last eight days", () => {
    const now = Date.parse("2026-11-30T03:17:00Z");
    const facts = {
      workspaceId: "ws-time-limited",
      provider: "google",
      status: "active" as const,
      source: "oauth",
      consentedAt: "2026-11-01T00:00:00.000Z",
      lastRefreshedAt: "2026-11-29T00:00:00.000Z",
      refreshExpiresAt: new Date(now + 9 * DAY).toISOString(),
    };
    expect(googleTestingVerdict(facts, now).status).toBe("ok");
    expect(googleTestingVerdict(facts, now + 2 * DAY)).toMatchObject({
      status: "warning",
      errorClass: "google_grant_ending",
    });
    // A key-pasted or env connection is never judged.
    expect(googleTestingVerdict({ ...facts, source: "env" }, now + 2 * DAY).status).toBe("ok");
  });
});
