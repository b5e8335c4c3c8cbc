import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type SandboxApp, startSandboxApp } from "../../sandbox/app";
import { launchChromium } from "./chromium";
import { csrfToken, signInAsOwner } from "./session";

/** How long the browser tests wait for a journey to move (a step runs in about a second here). */
export const POLL = { timeout: 45_000, interval: 250 };

/** The sandboxed app, Chromium and the owner's page, for one test file. */
export interface SandboxUi {
  app: SandboxApp;
  browser: Browser;
  page: Page;
}

/**
 * Opens the sandbox UI before the file's tests (see `openSandboxUi`) and
 * closes it after them. The fields are set once `beforeAll` has run.
 */
export function useSandboxUi(options: { template?: unknown } = {}): SandboxUi {
  const ui = {} as SandboxUi;
  beforeAll(async () => {
    Object.assign(ui, await openSandboxUi(options));
  });
  afterAll(async () => {
    await ui.browser?.close();
    await ui.app?.stop();
  });
  return ui;
}

/**
 * The sandboxed app, Chromium and the owner signed in; with `template`, that
 * process is saved first (through the API, as the editor does).
 */
export async function openSandboxUi(
  options: { template?: unknown } = {},
): Promise<{ app: SandboxApp; browser: Browser; page: Page }> {
  const [app, browser] = await Promise.all([startSandboxApp(), launchChromium()]);
  const page = await signInAsOwner(browser, app.appUrl);
  if (options.template) {
    const saved = await page.request.put("/api/process", {
      data: options.template,
      headers: { "X-CSRF-Token": await csrfToken(page) },
    });
    expect(saved.status()).toBe(201);
  }
  return { app, browser, page };
}

/** Marks a sandbox deal won on /sandbox and returns the path of its journey page once it exists. */
export async function winDeal(page: Page, dealName: string): Promise<string> {
  await page.goto("/sandbox");
  const row = page.locator("tr", { hasText: dealName });
  await row.getByRole("button", { name: "Mark won" }).click();
  await page.waitForURL(/\/sandbox\?notice=deal-won/);
  const link = row.getByRole("link", { name: /^Journey/ });
  await expect
    .poll(async () => {
      if ((await link.count()) > 0) return true;
      await page.reload();
      return false;
    }, POLL)
    .toBe(true);
  return (await link.getAttribute("href")) ?? "";
}

/**
 * Sets the agreement, booking and review links on the Connections page, as an owner does before saving a process
 * that sends them (a save names every link that is not set).
 */
export async function setClientLinks(page: Page): Promise<void> {
  await page.goto("/connections");
  const card = page.locator("section.card", { has: page.getByRole("heading", { name: "Client links" }) });
  await card.getByLabel("Agreement link").fill("https://brightstudio.test/agreement");
  await card.getByLabel("Booking link").fill("https://brightstudio.test/book");
  await card.getByLabel("Review link").fill("https://brightstudio.test/review");
  await card.getByRole("button", { name: "Save client links" }).click();
  await expect.poll(() => page.getByText("Client links saved.").count(), POLL).toBe(1);
}
