import { describe, expect, it } from "vitest";
import { useSandboxUi } from "./sandbox-ui";

const ui = useSandboxUi();

describe("the email preview in Chromium: the email as sent, in the business's colours", () => {
  it("the owner sets the brand colour, opens the welcome email's preview and sees a clickable link", async () => {
    await ui.page.goto("/connections");
    await ui.page.getByLabel("Brand colour").fill("#0f766e");
    await ui.page.getByRole("button", { name: "Save email branding" }).click();
    await ui.page.waitForURL(/\/connections\?saved=/);
    await expect.poll(() => ui.page.getByLabel("Brand colour").inputValue()).toBe("#0f766e");

    await ui.page.goto("/process");
    await ui.page.locator("summary", { hasText: "Welcome email" }).click();
    const region = ui.page.locator('[data-preview-region="phases.1.steps.3"]');
    const email = region.frameLocator('iframe[title="HTML part of the email"]');
    const links = email.getByRole("link");
    await expect.poll(() => links.count()).toBeGreaterThan(0);
    const first = links.first();
    expect(await first.isVisible()).toBe(true);
    expect(await first.getAttribute("href")).toMatch(/^https?:\/\//);
    expect(await first.getAttribute("rel")).toBe("noopener noreferrer");
    // The header band carries the business's name in its colour.
    const band = email.locator("td:not(:has(table))").first();
    expect(await band.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(15, 118, 110)");

    // Typing a new link into the body: the framed preview follows, the link an anchor, the text part plain.
    const body = ui.page.locator('[name="phases.1.steps.3.inputs.body"]');
    await body.fill(
      "Hi {{client.firstName}},\n\nBook here: https://cal.example.test/bright\n\n{{business.senderName}}",
    );
    await expect
      .poll(() => email.getByRole("link", { name: "https://cal.example.test/bright" }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await region.locator("[data-preview-body]").innerText()).toContain(
      "Book here: https://cal.example.test/bright",
    );
    await region.scrollIntoViewIfNeeded();
    if (process.env.TMP_SHOT) await region.screenshot({ path: process.env.TMP_SHOT });
  });
});
