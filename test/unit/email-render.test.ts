import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseRawMail } from "../../emulators/mime-parse";
import { buildRawMessage } from "../../integrations/google/mime";
import { renderEmail } from "../../src/email/render";
import { parseWorkspaceSettings, type WorkspaceSettings } from "../../src/settings/workspace-settings";
import { findWorkspace, upsertWorkspace } from "../../src/settings/workspaces";

const branding = { businessName: "Bright <Studio> & Co", brandColor: "#0F766E", accentColor: "#b45309" };

describe("renderEmail", () => {
  const body =
    "Hi <Grace>,\n\nYour agreement: https://app.test/c/abc?x=1&y=2.\nYour invoice: https://invoice.stripe.test/i/in_1\n\nAda";
  const email = renderEmail({ subject: "Welcome, <Grace>", body, branding });

  it("keeps the text part exactly as written, URLs plain", () => {
    expect(email.text).toBe(body);
    expect(email.subject).toBe("Welcome, <Grace>");
  });

  it("makes every http(s) URL an anchor with rel and the accent colour, escaped", () => {
    expect(email.html).toContain(
      '<a href="https://app.test/c/abc?x=1&amp;y=2" rel="noopener noreferrer" style="color:#b45309;text-decoration:underline">https://app.test/c/abc?x=1&amp;y=2</a>.',
    );
    expect(email.html).toContain('<a href="https://invoice.stripe.test/i/in_1" rel="noopener noreferrer"');
  });

  it("escapes the body, the subject and the business name (no injection)", () => {
    expect(email.html).toContain("Hi &lt;Grace&gt;,");
    expect(email.html).toContain("<title>Welcome, &lt;Grace&gt;</title>");
    expect(email.html).toContain("Bright &lt;Studio&gt; &amp; Co");
    expect(email.html).not.toMatch(/<Grace>|<Studio>/);
  });

  it("brands the header with the business's colour (text colour readable on it) and uses inline CSS only", () => {
    expect(email.html).toContain("background-color:#0f766e;color:#ffffff");
    expect(email.html).not.toMatch(/<style|<link|<script/i);
    const light = renderEmail({ subject: "s", body: "b", branding: { ...branding, brandColor: "#fde68a" } });
    expect(light.html).toContain("background-color:#fde68a;color:#111827");
  });

  it("carries a hidden preheader: the first line, or the one given", () => {
    expect(email.html).toMatch(/<div style="display:none[^"]*">Hi &lt;Grace&gt;,<\/div>/);
    const given = renderEmail({ subject: "s", body: "b", branding, preheader: "Two steps <left>" });
    expect(given.html).toMatch(/<div style="display:none[^"]*">Two steps &lt;left&gt;<\/div>/);
  });

  it("reaches Gmail as multipart/alternative, UTF-8, base64 parts that read back byte-equal", () => {
    const unicode = renderEmail({ subject: "Willkommen, Zoë", body: "Grüße — ✓ https://a.test/ü", branding });
    const raw = buildRawMessage({
      from: { name: "Ada", email: "ada@studio.test" },
      to: { name: "Zoë", email: "zoe@client.test" },
      ...unicode,
      messageId: "j1.welcome@clientflow",
    });
    const mime = new TextDecoder().decode(
      Uint8Array.from(atob(raw.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
    );
    expect(mime).toMatch(/Content-Type: multipart\/alternative; boundary="/);
    expect(mime).toContain("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64");
    expect(mime).toContain("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64");
    const parsed = parseRawMail(raw);
    expect(parsed.text).toBe(unicode.text);
    expect(parsed.html).toBe(unicode.html);
    expect(parsed.headers.subject).toBe("Willkommen, Zoë");
  });
});

describe("brand colour settings", () => {
  it("default to safe colours", () => {
    expect(parseWorkspaceSettings("{}")).toMatchObject({ brandColor: "#1f2937", accentColor: "#2563eb" });
  });

  it("accept hex colours (3 or 6 digits), stored lower case", async () => {
    await upsertWorkspace(env.DB, { id: "ws-brand-ok", name: "Ok", settings: { brandColor: "#0F766E" } });
    await upsertWorkspace(
      env.DB,
      { id: "ws-brand-ok", name: "Ok", settings: { accentColor: "#AbC" } },
      {
        mergeSettings: true,
      },
    );
    expect((await findWorkspace(env.DB, "ws-brand-ok"))?.settings).toMatchObject({
      brandColor: "#0f766e",
      accentColor: "#abc",
    });
  });

  it.each([
    ["brandColor", "red"],
    ["brandColor", "#12345"],
    ["brandColor", "#1f2937;background:url(x)"],
    ["accentColor", '"><script>'],
    ["accentColor", "rgb(0,0,0)"],
  ])("refuse %s %j with a named error", async (key, value) => {
    const settings = { [key]: value } as Partial<WorkspaceSettings>;
    await expect(upsertWorkspace(env.DB, { id: `ws-brand-bad`, name: "Bad", settings })).rejects.toThrow(
      new RegExp(`Invalid setting ${key}: must be a hex colour`),
    );
    expect(await findWorkspace(env.DB, "ws-brand-bad")).toBeNull();
  });
});
