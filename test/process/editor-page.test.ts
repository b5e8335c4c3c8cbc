import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EDITOR_SCRIPT } from "../../src/editor/editor-script";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { Browser, location, signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";
import { COACHING_TEMPLATE } from "./coaching-template";

const world = useWorld();

/** The opening tag of the element with this id. */
const tagOf = (html: string, id: string) => html.match(new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`))?.[0] ?? "";
const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, "g"))?.length ?? 0;

describe("the process editor page", () => {
  it("sends a visitor without a session to sign-in", async () => {
    const response = await new Browser().fetch("/process");
    expect(response.status).toBe(302);
    expect(location(response)).toBe("/auth/login?return_to=%2Fprocess");
  });

  it("renders the default template's phases, steps and fields, with previews against the sample client", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-editor", email: "editor@studio.test" });
    const response = await browser.fetch("/process");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<meta name="csrf-token" content="${csrf}"/>`);
    expect(html).toMatch(/<a href="\/process" aria-current="page">Process<\/a>/);

    const phases = [...html.matchAll(/<h2 id="f-phases-\d-title">([^<]+)/g)].map((m) => m[1]?.trim());
    expect(phases).toEqual(["Lead capture", "Onboarding", "Fulfillment", "Off-boarding", "Follow-up"]);
    const steps = [...html.matchAll(/<span class="step-title">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(steps).toEqual(DEFAULT_TEMPLATE.phases.flatMap((p) => p.steps.map((s) => s.name)));
    expect(count(html, /<details class="step"/)).toBe(steps.length);
    // Every step has its approval toggle, labelled.
    expect(count(html, /data-path="phases\.\d\.steps\.\d+\.approval" data-kind="bool"/)).toBe(steps.length);
    expect(html).toContain(
      '<label for="f-phases-1-steps-3-approval">Wait for my approval before this step runs</label>',
    );
    // Actions show the catalog's label.
    expect(html).toContain("Send the agreement for acceptance");
    expect(html).toContain("Invite the client to a meeting");

    // The welcome email's subject and body are editable fields with labels.
    const subject = tagOf(html, "f-phases-1-steps-3-inputs-subject");
    expect(subject).toContain('value="Welcome, {{client.firstName}}: your next steps"');
    expect(subject).toContain('data-preview="subject"');
    expect(html).toContain('<label for="f-phases-1-steps-3-inputs-subject">Subject (required)</label>');
    expect(tagOf(html, "f-phases-1-steps-3-inputs-body")).toMatch(/^<textarea/);
    // Delays are editable as amount + unit + anchor; events as a select.
    expect(tagOf(html, "f-phases-4-steps-0-trigger-wait-amount")).toContain('value="3"');
    expect(html).toMatch(
      /id="f-phases-4-steps-0-trigger-wait-unit"[^>]*>(?:<option[^>]*>[a-z]+<\/option>)*<option value="months" selected="">/,
    );
    expect(html).toMatch(
      /id="f-phases-1-steps-0-trigger-event"[^>]*>.*?<option value="hubspot.deal.won" selected="">/s,
    );
    expect(tagOf(html, "f-phases-1-steps-1-inputs-percent")).toContain('value="50"');

    // Previews: rendered for the sample client, in a live region, with the fields available.
    const emails = DEFAULT_TEMPLATE.phases.flatMap((p) => p.steps).filter((s) => s.action === "gmail.send-email");
    expect(count(html, /aria-live="polite" data-preview-region=/)).toBe(emails.length);
    expect(html).toContain('<strong data-preview-subject="">Welcome, Jordan: your next steps</strong>');
    expect(html).toMatch(/Your deposit invoice INV-0042 \(\$2,500\.00, due \d{4}-\d\d-\d\d\)/);
    expect(html).toContain("<li>{{steps.send-agreement.url}}</li>");
    expect(html).toContain("Jordan Lee, Lee &amp; Co");

    // History is empty (the built-in default); the editor's script is on the page.
    expect(html).toContain("Not saved yet");
    expect(html).toContain(`<script>${EDITOR_SCRIPT}</script>`);
    expect(EDITOR_SCRIPT).toContain('fetch(url, { method: "PUT", headers, body: JSON.stringify(template) })');
    expect(html).not.toContain('aria-label="Templates"');
  });

  it("switches between templates, views an old version read-only and restores it", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-editor-2", email: "editor2@studio.test" });
    await setOwnerLinks(env, "owner-editor-2");
    const headers = { "content-type": "application/json", "x-csrf-token": csrf };
    const put = (path: string, body: unknown) =>
      browser.fetch(path, { method: "PUT", headers, body: JSON.stringify(body) });
    expect((await put("/api/process/templates/coaching", COACHING_TEMPLATE)).status).toBe(201);
    expect((await put("/api/process/templates/default", DEFAULT_TEMPLATE)).status).toBe(201);
    expect((await put("/api/process/templates/default", { ...DEFAULT_TEMPLATE, name: "Renamed" })).status).toBe(201);

    const editor = await (await browser.fetch("/process")).text();
    expect(editor).toMatch(/<nav class="filters" aria-label="Templates">/);
    expect(editor).toContain('<a href="/process/coaching">Coaching programme');
    expect(editor).toContain("<strong>Version 2</strong>");
    expect(editor).toContain('href="/process/default/versions/1"');
    expect(editor).toContain('action="/process/default/versions/1/restore"');
    expect(editor).toContain("editor2@studio.test");

    const coaching = await browser.fetch("/process/coaching");
    expect(coaching.status).toBe(200);
    expect(await coaching.text()).toContain("<h1>Coaching programme</h1>");
    expect((await browser.fetch("/process/nope")).status).toBe(404);
    expect((await browser.fetch("/process/default/versions/7")).status).toBe(404);

    const old = await (await browser.fetch("/process/default/versions/1")).text();
    expect(old).toContain("<h1>Client journey (version 1)</h1>");
    expect(tagOf(old, "f-phases-1-steps-3-inputs-subject")).toContain("readonly");
    expect(old).not.toContain("encodeURIComponent(templateId)");

    const noCsrf = await browser.fetch("/process/default/versions/1/restore", { method: "POST" });
    expect(noCsrf.status).toBe(403);
    const restore = await browser.post("/process/default/versions/1/restore", {}, csrf);
    expect(restore.status).toBe(303);
    expect(location(restore)).toBe("/process?restored=3&from=1");
    const after = await (await browser.fetch(location(restore))).text();
    expect(after).toContain("Restored version 1 as version 3.");
    expect(after).toContain("<h1>Client journey</h1>");
  });
});
