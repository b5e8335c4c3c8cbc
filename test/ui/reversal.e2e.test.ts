import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { POLL, useSandboxUi, winDeal } from "./sandbox-ui";
import { SHORT_TEMPLATE } from "./short-template";

/**
 * The short process, with onboarding ending on the card's move to "In progress" (so a refund can come between
 * the payment and the next phase) and a rule that holds the next phase while a refund is open.
 */
const [onboarding, fulfillment] = SHORT_TEMPLATE.phases;
const HELD_TEMPLATE = {
  name: "Sandbox quick run, held on a refund",
  reversals: [{ on: ["refund"], hold: true }],
  phases: [
    {
      ...onboarding,
      steps: [
        ...(onboarding?.steps ?? []),
        {
          id: "ready",
          name: "Ready to start",
          action: "hubspot.update-deal",
          inputs: { status: "Ready" },
          trigger: { type: "event", event: "notion.project.status_changed", status: "In progress" },
        },
      ],
    },
    fulfillment,
  ],
};

const ui = useSandboxUi({ template: HELD_TEMPLATE });

/** The status badge text of a step on the journey page, or "absent". */
async function stepStatus(p: Page, step: string): Promise<string> {
  const li = p.locator(`#journey-timeline li[data-step="${step}"]`);
  if ((await li.count()) === 0) return "absent";
  return (await li.locator(".badge").first().innerText()).trim();
}

/** A control API call of the sandbox (as its page makes them). */
async function control(path: string, body: unknown = {}) {
  const response = await fetch(`${ui.app.sandboxUrl}/control${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as { delivery: { ok: boolean } };
}

describe("a money reversal on the journey page in Chromium", () => {
  it("a refund shows with Mark resolved while the next phase is held; the owner's release lets it go on", async () => {
    const href = await winDeal(ui.page, "Website refresh");
    const journeyId = decodeURIComponent(href.split("/").at(-1) ?? "");
    await ui.page.goto(href);
    await expect.poll(() => stepStatus(ui.page, "onboarding.deposit-paid"), POLL).toBe("waiting");
    const invoice = [...ui.app.sandbox.stripe.invoices.values()].find((i) => i.status === "open");
    expect(invoice).toBeDefined();
    const invoiceId = invoice?.id ?? "";

    // The client pays, then the business refunds the payment in Stripe; then the team moves the card.
    expect((await control(`/stripe/invoices/${invoiceId}/pay`)).delivery.ok).toBe(true);
    await expect.poll(() => stepStatus(ui.page, "onboarding.deposit-paid"), POLL).toBe("succeeded");
    expect((await control(`/stripe/invoices/${invoiceId}/refund`)).delivery.ok).toBe(true);
    const reversals = ui.page.locator("#journey-reversals");
    await expect.poll(() => reversals.innerText(), POLL).toContain("Stripe: payment refunded");
    const card = [...ui.app.sandbox.notion.pages.values()].find((p) =>
      JSON.stringify(p.properties["Clientflow ID"] ?? "").includes(journeyId),
    );
    expect((await control(`/notion/pages/${card?.id}/status`, { status: "In progress" })).delivery.ok).toBe(true);

    // Held before fulfillment: the hold on the timeline, the refund with its button, and the page passes axe.
    await expect.poll(() => stepStatus(ui.page, "phase.fulfillment.reversal-hold"), POLL).toBe("waiting");
    expect(await stepStatus(ui.page, "fulfillment.start-work")).toBe("absent");
    expect(await reversals.getByText(`invoice ${invoiceId}`).count()).toBe(1);
    expect(await axeViolations(ui.page)).toEqual([]);

    await reversals.getByRole("button", { name: "Mark resolved" }).click();
    await expect
      .poll(() => ui.page.locator("[data-api-notice]").innerText(), POLL)
      .toContain("The money reversal is marked resolved");
    await expect.poll(() => stepStatus(ui.page, "fulfillment.start-work"), POLL).toBe("succeeded");
    await expect.poll(() => reversals.innerText(), POLL).toContain("resolved by you");
    expect(await reversals.getByRole("button", { name: "Mark resolved" }).count()).toBe(0);
    expect(await stepStatus(ui.page, "phase.fulfillment.reversal-hold")).toBe("succeeded");
    expect(await axeViolations(ui.page)).toEqual([]);
  });
});
