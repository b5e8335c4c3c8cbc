import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxApp, startSandboxApp } from "../../sandbox/app";
import { SANDBOX_OWNER } from "../../sandbox/providers";
import { InsightsPage } from "../../src/dashboard/insights/insights-page";
import { computeInsights } from "../../src/insights/compute";
import { QUERY, ROWS } from "../insights/fixture";
import { type AxeViolation, axeViolations } from "./axe";
import { launchChromium } from "./chromium";
import { setClientLinks } from "./sandbox-ui";
import { screenshot } from "./screenshots";
import { signInAsOwner } from "./session";

let app: SandboxApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startSandboxApp(), launchChromium()]);
  page = await signInAsOwner(browser, app.appUrl);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the dashboard in Chromium, against the sandbox", () => {
  it("signs in through Google and lands in the workspace the sandbox seeded", async () => {
    expect(new URL(page.url()).pathname).toBe("/journeys");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Clients");
    // The session is the owner's: the API answers with the workspace's data, and a fresh context has none.
    const api = await page.request.get("/api/connections");
    expect(api.status()).toBe(200);
    const anonymous = await browser.newContext({ baseURL: app.appUrl });
    expect((await anonymous.request.get("/api/connections")).status()).toBe(401);
    await anonymous.close();
    expect(app.logs()).not.toContain(app.sandbox.secrets.hubspotToken);
    expect(SANDBOX_OWNER.email).toContain("@");
  });

  it("shows the four connections, each labelled as the sandbox, with its webhook URL", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Connections" }).click();
    await page.waitForURL(`${app.appUrl}/connections`);
    for (const provider of ["HubSpot", "Stripe", "Notion", "Google"]) {
      const card = page.locator("section", { has: page.getByRole("heading", { name: provider, exact: true }) });
      await expect.poll(() => card.count()).toBe(1);
      const text = (await card.innerText()).replace(/\s+/g, " ");
      expect(text).toContain("connected");
      expect(text).toContain("Sandbox");
      expect(text).toContain(`${provider} runs against the local emulator`);
    }
    const hubspot = page.locator("section", { has: page.getByRole("heading", { name: "HubSpot", exact: true }) });
    expect(await hubspot.innerText()).toContain(`${app.appUrl}/webhooks/hubspot`);
    expect(await page.getByRole("link", { name: "Connections" }).getAttribute("aria-current")).toBe("page");
    await screenshot(page, "connections");
  });

  it("edits the welcome email and the preview follows the typing; a broken save is refused inline", async () => {
    // The process sends the client links: the owner sets them on the Connections page before saving it.
    await setClientLinks(page);
    await page.goto("/process");
    await page.locator("summary", { hasText: "Welcome email" }).click();
    const subject = page.locator('[name="phases.1.steps.3.inputs.subject"]');
    const preview = page.locator('[data-preview-region="phases.1.steps.3"]');
    const before = await preview.locator("[data-preview-subject]").innerText();
    expect(before).toContain("Welcome, Jordan");

    const sample = (await (await page.request.get("/api/process/sample")).json()) as {
      data: { client: { firstName: string }; business: { name: string } };
    };
    await subject.fill("Hello {{client.firstName}}, welcome to {{business.name}}");
    await expect
      .poll(() => preview.locator("[data-preview-subject]").innerText())
      .toBe(`Hello ${sample.data.client.firstName}, welcome to ${sample.data.business.name}`);

    await page.locator("summary", { hasText: "Welcome email" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await screenshot(page, "process-editor", { fullPage: false });

    await subject.fill("Hi {{client.shoeSize}}");
    await expect.poll(() => preview.locator("[data-preview-unknown]").innerText()).toContain("client.shoeSize");

    // Saving that is refused: the error sits at the field, and nothing is saved.
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(() => subject.getAttribute("aria-invalid")).toBe("true");
    const errorText = await page.locator(`#${await subject.getAttribute("id")}-error`).innerText();
    expect(errorText).toContain("client.shoeSize");
    const history = await page.request.get("/api/process/templates/default/versions");
    expect((await history.json()).versions).toEqual([]);

    await subject.fill("Welcome aboard, {{client.firstName}}");
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(() => page.locator("#editor-status").innerText()).toContain("Saved as version 1");
    const saved = await (await page.request.get("/api/process")).json();
    expect(saved.template.phases[1].steps[3].inputs.subject).toBe("Welcome aboard, {{client.firstName}}");
  });

  it("meets WCAG 2.1 A and AA on every dashboard page (axe-core)", async () => {
    const found: Record<string, AxeViolation[]> = {};
    for (const path of ["/journeys", "/process", "/insights", "/events", "/connections", "/sandbox", "/api/docs"]) {
      await page.goto(path);
      const violations = await axeViolations(page);
      if (violations.length) found[path] = violations;
    }
    expect(found).toEqual({});
  });

  it("the insights page with figures (its SVG charts and tables) meets the same WCAG rules", async () => {
    // The sandbox workspace has no finished journeys: the page is rendered from journeys with known step times.
    const insights = computeInsights(ROWS, QUERY, "2026-04-01");
    // The frame holds an async part (the health banner), so the page renders to a promise of its HTML.
    const html = String(await (await InsightsPage({ insights, csrf: "csrf", sandbox: false })).toString());
    await page.goto("/insights");
    await page.setContent(html);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(5);
    expect(await axeViolations(page)).toEqual([]);
  });
});
