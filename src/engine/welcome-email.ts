import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import type { CreatedInvoice } from "../../integrations/stripe/actions/create-invoice";
import { formatMoney } from "../../integrations/stripe/money";
import type { WorkspaceSettings } from "../store/workspace-settings";
import { escapeHtml } from "../ui/html";
import { type MergeData, renderTemplate } from "./merge-fields";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** The merge data every onboarding email can use. */
export function onboardingMergeData(input: {
  businessName: string;
  settings: WorkspaceSettings;
  deal: DealSnapshot;
  invoice: CreatedInvoice;
  project: { startDate: string; dueDate: string; url?: string };
}): MergeData {
  const { deal, invoice, settings } = input;
  return {
    client: clientMergeFields(deal),
    deal: { name: deal.name, url: deal.url, description: deal.description ?? "" },
    invoice: {
      url: invoice.invoiceUrl,
      number: invoice.number ?? "",
      amount: formatMoney(invoice.amountDue, invoice.currency),
      dueDate: invoice.dueDate ?? "",
    },
    project: { startDate: input.project.startDate, dueDate: input.project.dueDate, url: input.project.url ?? "" },
    agreement: { url: settings.agreementUrl },
    business: { name: input.businessName, senderName: settings.senderName },
  };
}

/** The `client.*` merge fields of a deal's contact. */
export function clientMergeFields(deal: DealSnapshot) {
  return {
    firstName: deal.contact.firstName || "there",
    lastName: deal.contact.lastName,
    fullName: clientName(deal),
    email: deal.contact.email,
    company: deal.contact.company ?? "",
  };
}

export function clientName(deal: DealSnapshot): string {
  return `${deal.contact.firstName} ${deal.contact.lastName}`.trim() || deal.contact.email;
}

function section(title: string, bodyHtml: string): string {
  return `<h2 style="font-size:16px;margin:24px 0 8px">${escapeHtml(title)}</h2>${bodyHtml}`;
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

/**
 * The welcome email with the four parts of a good welcome: the agreement, the
 * invoice, the delivery details and the next steps.
 */
export function renderWelcomeEmail(settings: WorkspaceSettings, data: MergeData, deal: DealSnapshot): RenderedEmail {
  const v = (group: string, key: string) => String(data[group]?.[key] ?? "");
  const intro = renderTemplate(settings.welcomeIntro, data, { html: false });
  const delivery = renderTemplate(settings.deliveryDetails, data, { html: false });
  const steps = settings.nextSteps.map((s) => renderTemplate(s, data, { html: false }));
  const items = deal.lineItems.map((i) => `${i.name}${i.quantity !== 1 ? ` × ${i.quantity}` : ""}`);

  const text = [
    `Hi ${v("client", "firstName")},`,
    "",
    intro,
    "",
    "1. Your agreement",
    `Please read and accept it: ${v("agreement", "url")}`,
    "",
    "2. Your invoice",
    `${v("invoice", "amount")}, due ${v("invoice", "dueDate")}: ${v("invoice", "url")}`,
    "",
    "3. What we will deliver",
    delivery,
    ...items.map((i) => `- ${i}`),
    "",
    "4. Next steps",
    ...steps.map((s, n) => `${n + 1}. ${s}`),
    "",
    v("business", "senderName"),
  ].join("\n");

  const html = [
    `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f2937">`,
    `<p>Hi ${escapeHtml(v("client", "firstName"))},</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    section(
      "1. Your agreement",
      `<p>Please read and accept it: ${link(v("agreement", "url"), "View the agreement")}</p>`,
    ),
    section(
      "2. Your invoice",
      `<p>${escapeHtml(v("invoice", "amount"))}, due ${escapeHtml(v("invoice", "dueDate"))}: ${link(v("invoice", "url"), "View and pay the invoice")}</p>`,
    ),
    section(
      "3. What we will deliver",
      `<p>${escapeHtml(delivery)}</p>${items.length ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>` : ""}`,
    ),
    section("4. Next steps", `<ol>${steps.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ol>`),
    `<p>${escapeHtml(v("business", "senderName"))}</p>`,
    "</div>",
  ].join("\n");

  return { subject: renderTemplate(settings.welcomeSubject, data, { html: false }), text, html };
}

/** A payment reminder: the invoice link again, numbered so the client sees it is a follow-up. */
export function renderPaymentReminder(data: MergeData, reminder: number): RenderedEmail {
  const v = (group: string, key: string) => String(data[group]?.[key] ?? "");
  const text = [
    `Hi ${v("client", "firstName")},`,
    "",
    `A friendly reminder that invoice ${v("invoice", "number")} (${v("invoice", "amount")}) for ${v("deal", "name")} is still open.`,
    `You can pay it here: ${v("invoice", "url")}`,
    "",
    v("business", "senderName"),
  ].join("\n");
  const html = `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5">
<p>Hi ${escapeHtml(v("client", "firstName"))},</p>
<p>A friendly reminder that invoice ${escapeHtml(v("invoice", "number"))} (${escapeHtml(v("invoice", "amount"))}) for ${escapeHtml(v("deal", "name"))} is still open.</p>
<p>${link(v("invoice", "url"), "Pay the invoice")}</p>
<p>${escapeHtml(v("business", "senderName"))}</p></div>`;
  return { subject: `Reminder ${reminder}: invoice for ${v("deal", "name")}`, text, html };
}
