import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { purgeExpired } from "../../src/maintenance/purge";
import { findOwner } from "../../src/store/owners";
import { TEST_BINDINGS as B } from "../bindings";
import { Browser, location, signIn } from "../browser";
import { captureLogs, count, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const ada = { sub: "google-sub-ada", email: "ada@studio.test", name: "Ada Studio" };

async function startLogin(browser = new Browser()) {
  const login = await browser.fetch("/auth/login?return_to=/connections");
  return { browser, authorizeUrl: location(login), login };
}

describe("sign in with Google", () => {
  it("redirects to Google with PKCE, nonce and state, then starts a secure session for the owner's workspace", async () => {
    const { browser, authorizeUrl, login } = await startLogin();
    expect(login.status).toBe(302);
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${B.GOOGLE_ACCOUNTS_BASE}/o/oauth2/v2/auth`);
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("https://clientflow.test/auth/callback");
    for (const p of ["state", "nonce", "code_challenge"]) expect(url.searchParams.get(p)?.length).toBeGreaterThan(20);

    const consent = await world.google.consent(authorizeUrl, ada);
    const callback = await browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
    expect(callback.status).toBe(302);
    expect(location(callback)).toBe("/connections");
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith("__Host-cf_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//i);

    const page = await browser.fetch("/connections");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Connections");
    const owner = await findOwner(env.DB, ada.sub);
    expect(owner?.email).toBe(ada.email);

    // The same Google account signs in again: same workspace.
    const again = await signIn(world, ada);
    const me = await again.browser.fetch("/api/connections");
    expect(me.status).toBe(200);
    expect((await findOwner(env.DB, ada.sub))?.workspaceId).toBe(owner?.workspaceId);
    expect(await count(env, "owners", "google_sub = ?", ada.sub)).toBe(1);
  });

  it("refuses a wrong, reused or expired state, and a callback in another browser", async () => {
    const { browser, authorizeUrl } = await startLogin();
    const consent = await world.google.consent(authorizeUrl, ada);
    const wrong = await browser.fetch(`/auth/callback?code=${consent.code}&state=not-the-state`);
    expect(wrong.status).toBe(401);

    const other = await new Browser().fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
    expect(other.status).toBe(401);
    expect(logs.some((l) => l.includes("sign-in finished in another browser"))).toBe(true);
    // The state was consumed by that attempt: the right browser cannot reuse it.
    const reused = await browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
    expect(reused.status).toBe(401);

    const late = await startLogin();
    const lateConsent = await world.google.consent(late.authorizeUrl, ada);
    // The flow carries its own expiry (nothing is stored to expire): come back 11 minutes later.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
    try {
      const expired = await late.browser.fetch(`/auth/callback?code=${lateConsent.code}&state=${lateConsent.state}`);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error: "unauthenticated" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("stores nothing for anonymous sign-in starts; only a finished callback records its state, and purge removes it", async () => {
    const rows = async () => (await count(env, "oauth_states")) + (await count(env, "sign_in_used_states"));
    const before = await rows();
    const flows = [];
    for (let i = 0; i < 25; i++) flows.push(await startLogin());
    expect(await rows()).toBe(before);

    const [first, second] = flows as [(typeof flows)[0], (typeof flows)[0]];
    const used = await count(env, "sign_in_used_states");
    const consent = await world.google.consent(first.authorizeUrl, ada);
    expect((await first.browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`)).status).toBe(302);
    expect(await count(env, "sign_in_used_states")).toBe(used + 1);
    // A state that is not ours is refused before anything is written.
    const forged = `${consent.state.slice(0, -4)}AAAA`;
    expect((await second.browser.fetch(`/auth/callback?code=x&state=${forged}`)).status).toBe(401);
    expect(await count(env, "sign_in_used_states")).toBe(used + 1);
    const report = await purgeExpired(env, Date.now() + 11 * 60_000);
    expect(report.signInUsedStates).toBeGreaterThanOrEqual(1);
    expect(await count(env, "sign_in_used_states")).toBe(0);
  });

  it("refuses a flow cookie that is tampered with or belongs to another sign-in", async () => {
    const a = await startLogin();
    const b = await startLogin();
    const consentB = await world.google.consent(b.authorizeUrl, ada);
    // Browser A presents B's state with its own (genuine) cookie: not its flow.
    const crossed = await a.browser.fetch(`/auth/callback?code=${consentB.code}&state=${consentB.state}`);
    expect(crossed.status).toBe(401);

    const c = await startLogin();
    const consentC = await world.google.consent(c.authorizeUrl, ada);
    const sealed = c.browser.cookies.get("__Host-cf_sign_in") ?? "";
    expect(sealed.length).toBeGreaterThan(40);
    // Flip a character in the sealed flow's ciphertext: it no longer opens.
    const i = sealed.length - 10;
    c.browser.cookies.set(
      "__Host-cf_sign_in",
      `${sealed.slice(0, i)}${sealed[i] === "A" ? "B" : "A"}${sealed.slice(i + 1)}`,
    );
    const tampered = await c.browser.fetch(`/auth/callback?code=${consentC.code}&state=${consentC.state}`);
    expect(tampered.status).toBe(401);
    expect(await findOwner(env.DB, "google-sub-never")).toBeNull();
  });

  it("reports a provider error in the callback and refuses a forged ID token", async () => {
    const denied = await startLogin();
    const state = new URL(denied.authorizeUrl).searchParams.get("state");
    const refused = await denied.browser.fetch(`/auth/callback?error=access_denied&state=${state}`);
    expect(refused.status).toBe(401);
    expect((await refused.json()) as { message: string }).toMatchObject({
      message: expect.stringContaining("access_denied"),
    });

    for (const claims of [{ aud: "someone-else" }, { nonce: "replayed-nonce" }, { email_verified: false }]) {
      const flow = await startLogin();
      const consent = await world.google.consent(
        flow.authorizeUrl,
        { ...ada, sub: `forged-${JSON.stringify(claims)}` },
        claims,
      );
      const response = await flow.browser.fetch(`/auth/callback?code=${consent.code}&state=${consent.state}`);
      expect(response.status).toBe(401);
    }
    expect(await count(env, "owners", "google_sub LIKE 'forged-%'")).toBe(0);
  });

  it("guards pages and the API, requires the CSRF token on changes, and signs out", async () => {
    const anonymous = new Browser();
    const page = await anonymous.fetch("/connections");
    expect(page.status).toBe(302);
    expect(location(page)).toBe("/auth/login?return_to=%2Fconnections");
    expect((await anonymous.fetch("/api/connections")).status).toBe(401);

    const { browser, csrf } = await signIn(world, { sub: "google-sub-csrf", email: "csrf@studio.test" });
    const noToken = await browser.fetch("/connections/stripe/key", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "key=rk_test_abcdefghijklmnop",
    });
    expect(noToken.status).toBe(403);
    expect(
      (await browser.post("/connections/stripe/key", { key: "rk_test_abcdefghijklmnop" }, "wrong-token")).status,
    ).toBe(403);
    expect(await count(env, "connections", "provider = 'stripe' AND source = 'key'")).toBe(0);

    const logout = await browser.post("/auth/logout", {}, csrf);
    expect(logout.status).toBe(303);
    expect((await browser.fetch("/api/connections")).status).toBe(401);
  });
});
