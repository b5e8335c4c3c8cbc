import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { signLink } from "../../src/links/capability";
import { LINK_PURPOSES } from "../../src/links/purposes";
import { purgeExpired } from "../../src/maintenance/purge";
import { findOwner } from "../../src/store/owners";
import { Browser, location, signIn } from "../browser";
import { APP, count, useWorld } from "../world";

const world = useWorld();
const DAY = 86_400_000;

/** Expires every session of one owner, as time passing would. */
async function expireSessionsOf(sub: string, now: number) {
  await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE google_sub = ?")
    .bind(now - 1, sub)
    .run();
}

describe("sessions, OAuth states and capability links expire and are purged", () => {
  it("an expired session opens nothing (pages ask to sign in, the API and forms answer 401); the purge removes it", async () => {
    const owner = await signIn(world, { sub: "expiry-owner", email: "expiry-owner@studio.test" });
    const other = await signIn(world, { sub: "expiry-live", email: "expiry-live@studio.test" });
    const now = Date.now();
    await expireSessionsOf("expiry-owner", now);

    const page = await owner.browser.fetch("/journeys");
    expect(page.status).toBe(302);
    expect(location(page)).toMatch(/^\/auth\/login/);
    expect((await owner.browser.fetch("/api/journeys")).status).toBe(401);
    const form = await owner.browser.post("/connections/links", { agreementUrl: "https://x.test" }, owner.csrf);
    expect(form.status).toBe(401);
    expect((await other.browser.fetch("/api/journeys")).status).toBe(200);

    expect(await count(env, "sessions", "google_sub = ?", "expiry-owner")).toBeGreaterThan(0);
    await purgeExpired(env, now);
    expect(await count(env, "sessions", "google_sub = ?", "expiry-owner")).toBe(0);
    expect(await count(env, "sessions", "google_sub = ?", "expiry-live")).toBe(1);
  });

  it("an expired connect state is refused at the callback, and the purge removes it", async () => {
    const { browser } = await signIn(world, { sub: "expiry-connect", email: "expiry-connect@studio.test" });
    const start = await browser.fetch("/connect/hubspot");
    const consent = await world.hubspot.oauth.consent(location(start), { hubId: 6600011 });
    const now = Date.now();
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE purpose = 'connect:hubspot'")
      .bind(now - 1)
      .run();
    const callback = await browser.fetch(`/oauth/hubspot/callback?code=${consent.code}&state=${consent.state}`);
    expect(callback.status).toBe(403);
    // That state was spent by its refused callback; one abandoned at the consent screen stays until the purge.
    expect(await count(env, "oauth_states", "purpose = 'connect:hubspot'")).toBe(0);
    await browser.fetch("/connect/hubspot");
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE purpose = 'connect:hubspot'")
      .bind(now - 1)
      .run();
    expect(await count(env, "oauth_states", "purpose = 'connect:hubspot'")).toBe(1);
    await purgeExpired(env, now);
    expect(await count(env, "oauth_states", "purpose = 'connect:hubspot'")).toBe(0);
  });

  it("an expired sign-in flow is refused at the callback and leaves no row (sign-in starts are stateless)", async () => {
    const browser = new Browser();
    const login = await browser.fetch("/auth/login");
    const consent = await world.google.consent(location(login), { sub: "expiry-late", email: "late@studio.test" });
    const used = await count(env, "sign_in_used_states");
    expect(await count(env, "oauth_states", "purpose LIKE 'sign_in:%'")).toBe(0);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
    try {
      const callback = await browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
      expect(callback.status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
    expect(await findOwner(env.DB, "expiry-late")).toBeNull();
    expect(await count(env, "sign_in_used_states")).toBe(used);
  });

  it("a capability link past its lifetime opens no page (they are stateless: nothing to purge)", async () => {
    const long = Date.now() - 800 * DAY;
    const links = {
      a: await signLink(env, LINK_PURPOSES.approval, { j: "expiry-journey", s: "step" }, { issuedAt: long }),
      u: await signLink(env, LINK_PURPOSES.unsubscribe, { w: "ws-x", e: "A".repeat(43) }, { issuedAt: long }),
      s: await signLink(env, LINK_PURPOSES.survey, { sub: "survey-x" }, { issuedAt: long }),
      c: await signLink(env, LINK_PURPOSES.contract, { sub: "contract-x" }, { issuedAt: long }),
    };
    for (const [prefix, token] of Object.entries(links)) {
      for (const method of ["GET", "POST"]) {
        const response = await new Browser().fetch(`${APP}/${prefix}/${token}`, {
          method,
          headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
          body: method === "POST" ? "answer=1" : undefined,
        });
        expect(response.status, `${method} /${prefix}`).toBe(404);
        expect(await response.text(), `${method} /${prefix}`).toMatch(/expired|closed/i);
      }
    }
  });
});
