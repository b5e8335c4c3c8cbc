import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { POLL, useSandboxUi, winDeal } from "./sandbox-ui";
import { SHORT_TEMPLATE } from "./short-template";

const ui = useSandboxUi({ template: SHORT_TEMPLATE });

/** The timeline entry of one step on the journey page. */
const entry = (p: Page, step: string) => p.locator(`#journey-timeline li[data-step="${step}"]`);

describe("cancelling a journey in Chromium", () => {
  it("the owner cancels on the journey page and sees what was undone", async () => {
    const href = await winDeal(ui.page, "Brand identity");
    await ui.page.goto(href);
    await expect.poll(() => entry(ui.page, "onboarding.project-card").count(), POLL).toBe(1);
    await expect.poll(async () => (await entry(ui.page, "onboarding.deposit-paid").count()) > 0, POLL).toBe(true);
    const invoice = [...ui.app.sandbox.stripe.invoices.values()].find((i) => i.status === "open");
    expect(invoice).toBeDefined();

    await ui.page.getByRole("button", { name: "Cancel journey" }).click();
    await expect.poll(() => ui.page.locator("#journey-status .badge").first().innerText(), POLL).toBe("cancelled");
    // The undo runs after the cancel: the owner reloads to see its rows.
    await expect
      .poll(async () => {
        if ((await entry(ui.page, "cancel.summary").count()) > 0) return entry(ui.page, "cancel.summary").innerText();
        await ui.page.reload();
        return "";
      }, POLL)
      .toContain(`Cancelled: voided invoice #${invoice?.number}`);
    expect(await entry(ui.page, "cancel.summary").innerText()).toContain("archived the card");
    expect(ui.app.sandbox.stripe.invoices.get(invoice?.id ?? "")?.status).toBe("void");
  });
});
