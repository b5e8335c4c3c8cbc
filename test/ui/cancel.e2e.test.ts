import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxApp } from "../../sandbox/app";
import { openSandboxUi, POLL, winDeal } from "./sandbox-ui";
import { SHORT_TEMPLATE } from "./short-template";

let app: SandboxApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxUi({ template: SHORT_TEMPLATE }));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The timeline entry of one step on the journey page. */
const entry = (p: Page, step: string) => p.locator(`#journey-timeline li[data-step="${step}"]`);

describe("cancelling a journey in Chromium", () => {
  it("the owner cancels on the journey page and sees what was undone", async () => {
    const href = await winDeal(page, "Brand identity");
    await page.goto(href);
    await expect.poll(() => entry(page, "onboarding.project-card").count(), POLL).toBe(1);
    await expect.poll(async () => (await entry(page, "onboarding.deposit-paid").count()) > 0, POLL).toBe(true);
    const invoice = [...app.sandbox.stripe.invoices.values()].find((i) => i.status === "open");
    expect(invoice).toBeDefined();

    await page.getByRole("button", { name: "Cancel journey" }).click();
    await expect.poll(() => page.locator("#journey-status .badge").first().innerText(), POLL).toBe("cancelled");
    // The undo runs after the cancel: the owner reloads to see its rows.
    await expect
      .poll(async () => {
        if ((await entry(page, "cancel.summary").count()) > 0) return entry(page, "cancel.summary").innerText();
        await page.reload();
        return "";
      }, POLL)
      .toContain(`Cancelled: voided invoice #${invoice?.number}`);
    expect(await entry(page, "cancel.summary").innerText()).toContain("archived the card");
    expect(app.sandbox.stripe.invoices.get(invoice?.id ?? "")?.status).toBe("void");
  });
});
