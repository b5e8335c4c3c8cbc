import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { ONBOARDING_MERGE_FIELDS } from "../../src/engine/onboarding-fields";
import { onboardingMergeData, renderWelcomeEmail } from "../../src/engine/welcome-email";
import { parseWorkspaceSettings } from "../../src/settings/workspace-settings";
import { findWorkspace, upsertWorkspace } from "../../src/settings/workspaces";

const deal: DealSnapshot = {
  dealId: "1",
  name: "Logo & <Brand>",
  amount: 900,
  currency: "eur",
  closeDate: "2026-11-02",
  description: null,
  pipeline: null,
  url: "https://app.hubspot.test/contacts/1/record/0-3/1",
  contact: { id: "9", email: "ana@client.test", firstName: "Ana", lastName: "Lima", company: null },
  lineItems: [{ name: "Logo", quantity: 1, unitPrice: 900 }],
};
const invoice = {
  invoiceId: "in_1",
  invoiceUrl: "https://invoice.stripe.test/i/in_1",
  number: "CF-0001",
  amountDue: 90000,
  currency: "eur",
  dueDate: "2026-11-09",
};

function render(overrides: Record<string, unknown>) {
  const settings = parseWorkspaceSettings(JSON.stringify(overrides));
  const data = onboardingMergeData({
    businessName: "Studio",
    settings,
    deal,
    invoice,
    project: { startDate: "2026-11-02", dueDate: "2026-12-02" },
  });
  return renderWelcomeEmail(settings, data, deal);
}

describe("welcome email templates", () => {
  it("renders the owner's subject and intro with merge fields, escaped in HTML only", () => {
    const email = render({
      welcomeSubject: "{{client.firstName}}, {{deal.name}} starts {{project.startDate}}",
      welcomeIntro: "Thanks for choosing {{business.name}} for {{deal.name}}.",
    });
    expect(email.subject).toBe("Ana, Logo & <Brand> starts 2026-11-02");
    expect(email.text).toContain("Thanks for choosing Studio for Logo & <Brand>.");
    expect(email.html).toContain("<p>Thanks for choosing Studio for Logo &amp; &lt;Brand&gt;.</p>");
    expect(email.html).not.toContain("<Brand>");
    expect(email.text).toContain("€900.00, due 2026-11-09");
  });

  it("fills exactly the merge fields templates may name", () => {
    const data = onboardingMergeData({
      businessName: "Studio",
      settings: parseWorkspaceSettings("{}"),
      deal,
      invoice,
      project: { startDate: "2026-11-02", dueDate: "2026-12-02" },
    });
    const shape = Object.fromEntries(
      Object.entries(data).map(([group, values]) => [group, Object.keys(values).sort()]),
    );
    const known = Object.fromEntries(
      Object.entries(ONBOARDING_MERGE_FIELDS).map(([group, keys]) => [group, [...keys].sort()]),
    );
    expect(shape).toEqual(known);
  });
});

describe("workspace settings", () => {
  it("refuses a template with an unknown merge field, naming it, and stores nothing", async () => {
    await expect(
      upsertWorkspace(env.DB, {
        id: "ws-bad-template",
        name: "Bad",
        settings: { welcomeSubject: "Hi {{client.nickname}}" },
      }),
    ).rejects.toThrow("Invalid setting welcomeSubject: Unknown merge field {{client.nickname}}");
    await expect(
      upsertWorkspace(env.DB, {
        id: "ws-bad-template",
        name: "Bad",
        settings: { nextSteps: ["Pay {{invoice.total}}"] },
      }),
    ).rejects.toThrow("Invalid setting nextSteps.0: Unknown merge field {{invoice.total}}");
    expect(await findWorkspace(env.DB, "ws-bad-template")).toBeNull();
  });

  it("refuses out-of-range values and keeps defaults for what is not set", async () => {
    await expect(
      upsertWorkspace(env.DB, { id: "ws-bad-range", name: "Bad", settings: { maxPaymentReminders: 50 } }),
    ).rejects.toThrow(/Invalid setting maxPaymentReminders/);
    await upsertWorkspace(env.DB, { id: "ws-good", name: "Good", settings: { invoiceDueDays: 14 } });
    const saved = await findWorkspace(env.DB, "ws-good");
    expect(saved?.settings).toMatchObject({ invoiceDueDays: 14, closedWonStage: "closedwon", maxPaymentReminders: 3 });
  });
});
