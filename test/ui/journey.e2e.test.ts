import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxApp } from "../../sandbox/app";
import { axeViolations } from "./axe";
import { openSandboxUi, POLL, winDeal } from "./sandbox-ui";
import { screenshot } from "./screenshots";
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

/** The timeline entry of one step (`<phase>.<step>`) on a journey page. */
const entry = (p: Page, step: string) => p.locator(`#journey-timeline li[data-step="${step}"]`);

/** The status badge text of a step, or "absent" while it has not started. */
async function stepStatus(p: Page, step: string): Promise<string> {
  const li = entry(p, step);
  if ((await li.count()) === 0) return "absent";
  return (await li.locator(".badge").first().innerText()).trim();
}

/** Marks a sandbox deal won and opens its journey in a second tab, which the test then watches. */
async function winDealAndWatch(dealName: string): Promise<Page> {
  const href = await winDeal(page, dealName);
  const watcher = await page.context().newPage();
  await watcher.goto(href);
  return watcher;
}

describe("a sandbox journey in Chromium", () => {
  it("runs from deal won to done, and the open journey page follows each step without a reload", async () => {
    const watcher = await winDealAndWatch("Website refresh");
    const reloads: string[] = [];
    watcher.on("load", () => reloads.push(watcher.url()));
    expect(await watcher.locator("#live-status").count()).toBe(1);

    await expect.poll(() => stepStatus(watcher, "onboarding.welcome-email"), POLL).toBe("succeeded");
    await expect.poll(() => stepStatus(watcher, "onboarding.deposit-paid"), POLL).toBe("waiting");
    expect(await stepStatus(watcher, "onboarding.deposit-invoice")).toBe("succeeded");
    expect(await stepStatus(watcher, "onboarding.project-card")).toBe("succeeded");
    const welcome = app.sandbox.google.sent.find((m) => m.subject === "Welcome, Lin");
    expect(welcome?.to).toContain("lin");

    // The client pays: the invoice link on the timeline opens the sandbox's hosted invoice.
    const invoiceUrl = await entry(watcher, "onboarding.deposit-invoice")
      .getByRole("link", { name: "Stripe invoice" })
      .getAttribute("href");
    await page.goto(invoiceUrl ?? "");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Pay this invoice" }).click();
    await expect.poll(() => stepStatus(watcher, "onboarding.deposit-paid"), POLL).toBe("succeeded");
    await expect.poll(() => stepStatus(watcher, "fulfillment.start-work"), POLL).toBe("succeeded");
    await expect.poll(() => stepStatus(watcher, "offboarding.thank-you"), POLL).toBe("waiting");

    // The team finishes the work: the card moves to Done on the board.
    await page.goto("/sandbox");
    const card = page
      .locator("tr", { hasText: "Website refresh" })
      .filter({ has: page.getByRole("button", { name: "Move" }) });
    await card.getByRole("combobox").selectOption("Done");
    await card.getByRole("button", { name: "Move" }).click();
    await page.waitForURL(/\/sandbox\?notice=card-moved/);

    await expect.poll(() => watcher.locator("#journey-status .badge").first().innerText(), POLL).toBe("complete");
    expect(await stepStatus(watcher, "offboarding.thank-you")).toBe("succeeded");
    expect(await stepStatus(watcher, "offboarding.complete-deal")).toBe("succeeded");
    expect(app.sandbox.google.sent.map((m) => m.subject)).toContain("Thank you, Lin");
    expect(reloads).toEqual([]);
    // Finished: the page stops polling.
    await expect.poll(() => watcher.locator("[data-live]").count(), POLL).toBe(0);
    await screenshot(watcher, "journey");
    expect(await axeViolations(watcher)).toEqual([]);
    await watcher.close();
  });

  it("retries a step that failed during a simulated Stripe outage", async () => {
    await page.goto("/sandbox");
    const outage = page.getByRole("form", { name: "Simulate an outage" });
    await outage.getByLabel("Provider").selectOption("stripe");
    await outage.getByLabel("Answer").selectOption("400");
    await outage.getByLabel("Number of calls").fill("1");
    await outage.getByRole("button", { name: "Simulate outage" }).click();
    await page.waitForURL(/notice=fault-added/);

    const watcher = await winDealAndWatch("Brand identity");
    // The first Stripe call of the invoice step (the customer) met the outage; 400 is not retried on its own.
    const failed = "onboarding.deposit-invoice.customer";
    await expect.poll(() => stepStatus(watcher, failed), POLL).toBe("failed");
    await expect.poll(() => watcher.locator("#journey-status .badge").first().innerText(), POLL).toBe("failed");
    expect(await watcher.locator("#journey-error").innerText()).toContain("What went wrong");
    expect(await stepStatus(watcher, "onboarding.welcome-email")).toBe("absent");
    await screenshot(watcher, "journey-failed");
    expect(await axeViolations(watcher)).toEqual([]);

    expect(await entry(watcher, failed).innerText()).toContain("Stripe rejected the data we sent");
    await entry(watcher, failed).getByRole("button", { name: "Retry step" }).click();
    await expect.poll(() => stepStatus(watcher, "onboarding.deposit-invoice"), POLL).toBe("succeeded");
    await expect.poll(() => stepStatus(watcher, "onboarding.welcome-email"), POLL).toBe("succeeded");
    await expect.poll(() => stepStatus(watcher, "onboarding.deposit-paid"), POLL).toBe("waiting");
    const invoices = [...app.sandbox.stripe.invoices.values()].filter((i) => i.description?.includes("Brand identity"));
    expect(invoices).toHaveLength(1);
    await page.goto("/journeys");
    await screenshot(page, "clients");
    await page.goto("/sandbox");
    await screenshot(page, "sandbox");
    await page.goto("/events");
    await screenshot(page, "events");
  });
});
