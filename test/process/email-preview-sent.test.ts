import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { formatMoney } from "../../integrations/stripe/money";
import { previewEmail } from "../../src/editor/preview";
import { renderEmail } from "../../src/email/render";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { processMergeData } from "../../src/engine/merge-context";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import type { WorkspaceSettings } from "../../src/settings/workspace-settings";
import { findWorkspace } from "../../src/settings/workspaces";
import { findOwner } from "../../src/store/owners";
import { location, signIn } from "../browser";
import { sideEffects } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, intakeTally, postHubspot, useWorld, watchJourney } from "../world";

const world = useWorld();

const BRAND = { brandColor: "#0f766e", accentColor: "#b45309" };

/** A won deal whose client name and deal name carry HTML (HubSpot stores whatever was typed). */
function addDealWithMarkup(dealId: string, email: string) {
  world.hubspot.addDeal(dealId, {
    properties: {
      dealname: `Brand <i>sprint</i> & ${dealId}`,
      amount: "2400",
      dealstage: "closedwon",
      closedate: "2026-11-20T10:00:00.000Z",
      deal_currency_code: "USD",
    },
    contact: { email, firstname: "<b>Grace</b>", lastname: "Hopper" },
    lineItems: [{ name: "Strategy session", quantity: "4", price: "600" }],
  });
}

const step = (id: string) => {
  const found = DEFAULT_TEMPLATE.phases.flatMap((p) => p.steps).find((s) => s.id === id);
  if (!found) throw new Error(`the default template has no step ${id}`);
  return found;
};

describe("process emails: HTML and text, branded, and the preview is what is sent", () => {
  it("the default welcome email and an agreement reminder reach Gmail as the preview renders them, byte for byte", async () => {
    const [ws, portal, dealId, email] = ["ws-email-brand", "4410077", "8777", "grace-brand@client.test"];
    await connectWorkspace(env, ws, portal, BRAND);
    addDealWithMarkup(dealId, email);
    const journeyId = await onboardingJourneyId(ws, dealId);
    await using instance = await watchJourney(journeyId, { timeOut: ["onboarding.agreement-signed.wait-0"] });
    expect(
      await intakeTally(await postHubspot(JSON.stringify([dealStageEvent(portal, dealId, "closedwon", 97701)]))),
    ).toMatchObject({
      started: 1,
    });
    await instance.waitForStepResult({ name: "onboarding.agreement-signed.reminder-1" });

    const { emails, invoices } = sideEffects(world, journeyId, email);
    const [welcome, reminder] = emails;
    const [deposit] = invoices;
    if (!welcome || !reminder || !deposit?.hosted_invoice_url)
      throw new Error("welcome, reminder and invoice expected");
    const agreement = (await instance.waitForStepResult({ name: "onboarding.send-agreement" })) as {
      contractId: string;
      url: string;
    };
    expect(agreement.url).toMatch(/^https:\/\/clientflow\.test\/c\/\S+$/);

    // The text part: the body as written, URLs plain.
    expect(welcome.text).toContain(`1. Your agreement: ${agreement.url}\n`);
    expect(welcome.text).toContain(`: ${deposit.hosted_invoice_url}\n`);
    expect(welcome.text).not.toContain("<a ");
    // The HTML part: the agreement and invoice as anchors, the business's name and colours.
    expect(welcome.html).toContain(`<a href="${agreement.url}" rel="noopener noreferrer" style="color:#b45309;`);
    expect(welcome.html).toContain(`<a href="${deposit.hosted_invoice_url}" rel="noopener noreferrer"`);
    expect(welcome.html).toContain(">Bright Studio</td>");
    expect(welcome.html).toContain("background-color:#0f766e");
    // Markup in the client's name and the deal's name is text, never markup.
    expect(welcome.html).toContain("Hi &lt;b&gt;Grace&lt;/b&gt;,");
    expect(welcome.html).toContain("Brand &lt;i&gt;sprint&lt;/i&gt; &amp; 8777");
    expect(welcome.html).not.toMatch(/<b>Grace|<i>sprint/);
    expect(reminder.html).toContain(`<a href="${agreement.url}" rel="noopener noreferrer"`);

    // The preview, given this client's facts as the journey had them, renders exactly what Gmail received.
    const load = (await instance.waitForStepResult({ name: "process.load" })) as {
      name: string;
      settings: WorkspaceSettings;
    };
    // An action's step stores its outcome as JSON ({ ok, value }).
    const actionResult = async <T>(name: string) =>
      (JSON.parse(String(await instance.waitForStepResult({ name }))) as { value: T }).value;
    const deal = await actionResult<DealSnapshot>("process.read-deal");
    const card = await actionResult<{ pageId: string; pageUrl: string }>("onboarding.project-card");
    const outputs = {
      "send-agreement": agreement,
      "deposit-invoice": {
        invoiceId: deposit.id,
        url: deposit.hosted_invoice_url,
        amount: formatMoney(deposit.amount_due, deposit.currency),
        dueDate: new Date((deposit.due_date ?? 0) * 1000).toISOString().slice(0, 10),
        number: deposit.number ?? null,
      },
      "project-card": { pageId: card.pageId, url: card.pageUrl },
    };
    const data = processMergeData({
      businessName: load.name,
      settings: load.settings,
      deal,
      project: { startDate: "2026-11-20", dueDate: "2026-12-20", url: card.pageUrl },
      invoice: {
        url: outputs["deposit-invoice"].url,
        number: deposit.number ?? "",
        amount: outputs["deposit-invoice"].amount,
        dueDate: outputs["deposit-invoice"].dueDate,
      },
      agreementUrl: agreement.url,
      unsubscribeUrl: "unused by these emails",
    });
    const client = { deal, data, outputs, settings: load.settings };

    const welcomeInputs = step("welcome-email").inputs as { subject: string; body: string };
    const welcomePreview = previewEmail(client, welcomeInputs);
    expect(welcomePreview.unknownFields).toEqual([]);
    expect(welcomePreview.subject).toBe(welcome.subject);
    expect(welcomePreview.body).toBe(welcome.text);
    expect(welcomePreview.html).toBe(welcome.html);

    const rule = step("agreement-signed").reminders?.[0];
    if (!rule) throw new Error("the agreement step reminds");
    const reminderPreview = previewEmail({ ...client, data: { ...data, reminder: { number: 1 } } }, rule);
    expect(reminderPreview.subject).toBe(reminder.subject);
    expect(reminderPreview.body).toBe(reminder.text);
    expect(reminderPreview.html).toBe(reminder.html);
  });

  it("the owner sets the colours on the Connections page (hex only, named refusal); the preview API brands with them", async () => {
    const { browser, csrf } = await signIn(world, { sub: "brand-owner", email: "brand-owner@studio.test" });
    const workspaceId = (await findOwner(env.DB, "brand-owner"))?.workspaceId ?? "";
    const page = await (await browser.fetch("/connections")).text();
    expect(page).toContain('<form method="post" action="/connections/branding">');
    expect(page).toContain('name="brandColor" value="#1f2937"');

    const saved = await browser.post("/connections/branding", BRAND, csrf);
    expect(saved.status).toBe(303);
    expect(location(saved)).toBe("/connections?saved=branding");
    expect((await findWorkspace(env.DB, workspaceId))?.settings).toMatchObject(BRAND);

    const refused = await browser.post("/connections/branding", { ...BRAND, brandColor: "teal" }, csrf);
    expect(refused.status).toBe(303);
    const shown = await (await browser.fetch(location(refused))).text();
    expect(shown).toContain("Invalid setting brandColor: must be a hex colour");
    expect((await findWorkspace(env.DB, workspaceId))?.settings).toMatchObject(BRAND);

    const inputs = step("welcome-email").inputs as { subject: string; body: string };
    const res = await browser.fetch("/api/process/preview", {
      method: "POST",
      headers: { "x-csrf-token": csrf, "content-type": "application/json" },
      body: JSON.stringify({ ...inputs, templateId: "default", stepId: "welcome-email" }),
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as { subject: string; body: string; html: string };
    const businessName = (await findWorkspace(env.DB, workspaceId))?.name ?? "";
    const expected = renderEmail({
      subject: preview.subject,
      body: preview.body,
      branding: { businessName, ...BRAND },
    });
    expect(preview.html).toBe(expected.html);
    expect(preview.html).toMatch(/<a href="https?:\/\/[^"]+" rel="noopener noreferrer" style="color:#b45309;/);
    expect(preview.html).toContain("background-color:#0f766e");

    // The editor page shows each email step's HTML part in a sandboxed frame: the same renderer, the same colours.
    const editor = await (await browser.fetch("/process")).text();
    const frames = [...editor.matchAll(/<iframe title="HTML part of the email"[^>]*>/g)].map((m) => m[0]);
    const emailSteps = DEFAULT_TEMPLATE.phases.flatMap((p) => p.steps).filter((s) => s.action === "gmail.send-email");
    expect(frames).toHaveLength(emailSteps.length);
    for (const frame of frames) {
      expect(frame).toContain('sandbox=""');
      expect(frame).toContain("background-color:#0f766e");
    }
    expect(
      frames.some((f) => /&lt;a href=&quot;https?:\/\/[^&]+&quot; rel=&quot;noopener noreferrer&quot;/.test(f)),
    ).toBe(true);
  });
});
