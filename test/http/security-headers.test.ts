import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { toBase64 } from "../../src/crypto/encoding";
import { type Browser, signIn } from "../browser";
import { APP, useWorld } from "../world";

const world = useWorld();
let owner: { browser: Browser; csrf: string };

beforeAll(async () => {
  owner = await signIn(world, { sub: "headers-owner", email: "headers-owner@studio.test" });
});

async function sha256(text: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** The inline scripts of a page, exactly as served. */
const inlineScripts = (html: string) =>
  [...html.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");

describe("security headers", () => {
  it("dashboard pages: a script-hash policy that admits exactly their own scripts, no framing, never cached", async () => {
    const response = await owner.browser.fetch("/journeys");
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-inline' 'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const scripts = inlineScripts(await response.text());
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(csp).toContain(`'sha256-${await sha256(script)}'`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("the JSON API and plain answers: nosniff, and the API is never cached", async () => {
    const api = await owner.browser.fetch("/api/journeys");
    expect(api.status).toBe(200);
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.headers.get("cache-control")).toBe("no-store");
    const health = await exports.default.fetch(`${APP}/health`);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("hosted pages (/s, /u, /a) get the policy and no framing, even on their error pages", async () => {
    for (const path of ["/s/not-a-token", "/u/not-a-token", "/a/not-a-token"]) {
      const response = await exports.default.fetch(`${APP}${path}`, { headers: { accept: "text/html" } });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("keeps a route's own policy: the lead form stays embeddable", async () => {
    const response = await exports.default.fetch(`${APP}/f/no-such-workspace/lead`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(response.headers.get("x-frame-options")).toBeNull();
  });
});

describe("the connections page repeats no text from its link", () => {
  it("shows only fixed sentences, whatever the query says", async () => {
    const bait = "Your account is suspended: pay at https://evil.example/pay";
    for (const query of [
      `error=${encodeURIComponent(bait)}`,
      `connected=${encodeURIComponent(bait)}`,
      `board=${encodeURIComponent(bait)}`,
      `saved=${encodeURIComponent(bait)}`,
      `refused=${encodeURIComponent(bait)}&reason=access_denied`,
      `refused=hubspot&reason=${encodeURIComponent(bait)}`,
    ]) {
      const html = await (await owner.browser.fetch(`/connections?${query}`)).text();
      expect(html, query).not.toContain("evil.example");
      expect(html, query).not.toContain("suspended");
    }
    const refused = await (await owner.browser.fetch("/connections?refused=hubspot&reason=access_denied")).text();
    expect(refused).toContain("Connecting HubSpot did not finish: access was not granted.");
    const connected = await (await owner.browser.fetch("/connections?connected=stripe")).text();
    expect(connected).toContain("Stripe is connected.");
  });
});
