import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { saveLeadForm } from "../../src/settings/lead-form";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { APP, captureLogs, count, useWorld } from "../world";
import { formToken, leadFields, leadIdOf, postLead, tokenIn } from "./lead-helpers";

const world = useWorld();
const logs = captureLogs();

const WS = "ws-lead-form";
const BOOKING = "https://cal.example.com/bright/intro";

beforeAll(async () => {
  await upsertWorkspace(env.DB, { id: WS, name: "Bright Studio", settings: {} });
  await saveLeadForm(env.DB, WS, { bookingUrl: BOOKING, thankYou: "Thanks, we will be in touch today." });
});

/** Nothing reached a provider, and no lead (hence no Workflow instance) exists for this token. */
async function expectNothingDone(token: string) {
  expect(world.hubspot.requests.all).toEqual([]);
  expect(world.google.sent).toEqual([]);
  expect(await count(env, "leads", "workspace_id = ?", WS)).toBe(0);
  expect(await count(env, "journeys", "id = ?", await leadIdOf(WS, token))).toBe(0);
}

describe("GET /f/:workspace/lead", () => {
  it("renders an accessible form that other sites may embed", async () => {
    const response = await exports.default.fetch(`${APP}/f/${WS}/lead`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("x-frame-options")).toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors *");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(response.headers.get("cache-control")).toBe("no-store");

    const html = await response.text();
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<form method="post" action="/f/${WS}/lead"`);
    for (const [field, type, autocomplete] of [
      ["name", "text", "name"],
      ["email", "email", "email"],
      ["phone", "tel", "tel"],
      ["company", "text", "organization"],
    ]) {
      expect(html).toContain(`<label for="lead-${field}">`);
      expect(html).toMatch(new RegExp(`<input id="lead-${field}" name="${field}"[^>]*type="${type}"`));
      expect(html).toMatch(new RegExp(`id="lead-${field}"[^>]*autocomplete="${autocomplete}"`));
    }
    expect(html).toMatch(/<textarea id="lead-message" name="message"[^>]*required/);
    expect(html).toContain("(optional)");
    // The honeypot: off-screen, hidden from assistive technology, skipped by the keyboard and autofill.
    expect(html).toMatch(
      /<div class="hp" aria-hidden="true">.*<input id="lead-website" name="website" type="text" tabindex="-1" autocomplete="off"/s,
    );
    expect(tokenIn(html)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
  });

  it("honours a workspace's frame-ancestors allow-list", async () => {
    await upsertWorkspace(env.DB, { id: "ws-lead-framed", name: "Framed", settings: {} });
    await saveLeadForm(env.DB, "ws-lead-framed", { frameAncestors: "https://bright.example 'self'" });
    const response = await exports.default.fetch(`${APP}/f/ws-lead-framed/lead`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors https://bright.example 'self'");
    await expect(saveLeadForm(env.DB, "ws-lead-framed", { frameAncestors: "javascript:alert(1)" })).rejects.toThrow(
      /frameAncestors/,
    );
    await expect(saveLeadForm(env.DB, "ws-lead-framed", { autoReplySubject: "Hi {{deal.name}}" })).rejects.toThrow(
      /Unknown merge field \{\{deal.name\}\}/,
    );
  });

  it("answers 404 for an unknown workspace, as a page", async () => {
    for (const path of ["/f/ws-nobody/lead", "/f/bad%20id!/lead"]) {
      const response = await exports.default.fetch(`${APP}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Form not found");
    }
    expect(await count(env, "lead_forms", "workspace_id = ?", "ws-nobody")).toBe(0);
  });
});

describe("POST /f/:workspace/lead: refusals store nothing", () => {
  it("400 lists each field's problem, keeps what was typed, and stores nothing", async () => {
    const token = await formToken(WS);
    const response = await postLead(
      WS,
      leadFields({ _token: token, name: " ", email: "grace@", phone: "call me", message: "" }),
      { ip: "203.0.113.40" },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("Please correct these 4 problems");
    expect(html).toContain('<a href="#lead-name">Enter your name</a>');
    expect(html).toContain('<a href="#lead-email">Enter an email address like name@example.com</a>');
    expect(html).toContain("Enter a phone number using digits");
    expect(html).toContain("Tell us a little about what you need");
    expect(html).toMatch(/<input id="lead-email"[^>]*aria-invalid="true"[^>]*aria-describedby="lead-email-error"/);
    expect(html).toContain('value="grace@"');
    expect(html).toContain('value="Cobol &amp; Co"');
    expect(tokenIn(html)).toBe(token);
    await expectNothingDone(token);
    expect(logs.join("\n")).not.toContain("grace@");
  });

  it("a filled honeypot gets the normal thank-you page, and nothing is stored or sent", async () => {
    const submissions = await count(env, "lead_submissions");
    const token = await formToken(WS);
    const response = await postLead(WS, leadFields({ _token: token, website: "https://spam.example" }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Thanks, we will be in touch today.");
    expect(html).toContain(`href="${BOOKING}"`);
    await expectNothingDone(token);
    expect(await count(env, "lead_submissions")).toBe(submissions);
    expect(logs.some((l) => l.includes('"msg":"lead.spam"') && l.includes('"reason":"honeypot"'))).toBe(true);
    expect(logs.join("\n")).not.toMatch(/grace|Hopper|203\.0\.113/);
  });

  it("a missing, forged or bot-fast token is treated as spam too", async () => {
    const good = await formToken(WS);
    const forged = `${good.slice(0, -4)}AAAA`;
    const fast = await formToken(WS, { ageMs: 0 });
    const otherWorkspace = await formToken("ws-other");
    for (const [token, reason] of [
      ["", "missing"],
      [forged, "invalid"],
      [fast, "too_fast"],
      [otherWorkspace, "invalid"],
    ] as const) {
      const response = await postLead(WS, leadFields({ _token: token }));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Thanks, we will be in touch today.");
      expect(logs.some((l) => l.includes('"msg":"lead.spam"') && l.includes(`"reason":"${reason}"`))).toBe(true);
    }
    await expectNothingDone(good);
  });

  it("an expired form comes back with a fresh token and the values kept", async () => {
    const token = await formToken(WS, { ageMs: 25 * 60 * 60 * 1000 });
    const response = await postLead(WS, leadFields({ _token: token }), { ip: "203.0.113.41" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("This form was open for a long time");
    expect(html).toContain('value="grace@client.test"');
    expect(tokenIn(html)).not.toBe(token);
    await expectNothingDone(token);
  });

  it("the 6th submission from one client within ten minutes gets 429 with Retry-After", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < 5; i++) {
      const response = await postLead(WS, leadFields({ _token: await formToken(WS), email: "not-an-email" }), { ip });
      expect(response.status).toBe(400);
    }
    const limited = await postLead(WS, leadFields({ _token: await formToken(WS) }), { ip });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await limited.text()).toContain("Please try again in 10 minutes");
    expect(await count(env, "leads", "workspace_id = ?", WS)).toBe(0);
    // Another client is not affected; the IP itself is not stored.
    const other = await postLead(WS, leadFields({ _token: await formToken(WS), email: "x" }), { ip: "198.51.100.8" });
    expect(other.status).toBe(400);
    const keys = await env.DB.prepare("SELECT client_key FROM lead_submissions").all<{ client_key: string }>();
    expect(keys.results.map((r) => r.client_key).join()).not.toContain("198.51");
    expect(logs.some((l) => l.includes('"msg":"lead.rate_limited"'))).toBe(true);
  });

  it("counts an IPv6 client by its /64: new addresses in the same /64 share its limit", async () => {
    await env.DB.prepare("DELETE FROM lead_submissions").run();
    for (let i = 1; i <= 5; i++) {
      const ip = `2001:db8:77:1::${i.toString(16)}`;
      const response = await postLead(WS, leadFields({ _token: await formToken(WS), email: "not-an-email" }), { ip });
      expect(response.status).toBe(400);
    }
    const walked = await postLead(WS, leadFields({ _token: await formToken(WS) }), { ip: "2001:db8:77:1:ffff::42" });
    expect(walked.status).toBe(429);
    const neighbour = await postLead(WS, leadFields({ _token: await formToken(WS), email: "x" }), {
      ip: "2001:db8:77:2::1",
    });
    expect(neighbour.status).toBe(400);
    expect(await count(env, "leads", "workspace_id = ?", WS)).toBe(0);
  });

  it("unknown workspace 404, oversized body 413, wrong content type 415", async () => {
    const token = await formToken("ws-nobody");
    expect((await postLead("ws-nobody", leadFields({ _token: token }))).status).toBe(404);

    const huge = new URLSearchParams(leadFields({ _token: await formToken(WS), message: "x".repeat(17_000) }));
    const tooLarge = await postLead(WS, {}, { body: huge.toString() });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain("Your message is too long");

    const json = await postLead(WS, {}, { contentType: "application/json", body: JSON.stringify(leadFields()) });
    expect(json.status).toBe(415);
    expect(json.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await count(env, "leads")).toBe(0);
    expect(world.hubspot.requests.all).toEqual([]);
  });
});
