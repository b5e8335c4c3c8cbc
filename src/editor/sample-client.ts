import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { formatMoney, toMinorUnits } from "../../integrations/stripe/money";
import { ACTION_CATALOG, type ActionName, DEFAULT_INVOICE_DUE_DAYS } from "../engine/action-catalog";
import { addDuration, processMergeData, type StepOutputs } from "../engine/merge-context";
import type { MergeData } from "../engine/merge-fields";
import type { WorkspaceSettings } from "../settings/workspace-settings";

/** The sample deal every preview renders against: a realistic client, two line items. */
export const SAMPLE_DEAL: DealSnapshot = {
  dealId: "1001",
  name: "Brand refresh for Lee & Co",
  amount: 5000,
  currency: null,
  closeDate: null,
  description: "New logo, colour palette and a five-page website.",
  pipeline: null,
  url: "https://app.hubspot.com/contacts/0/record/0-3/1001",
  contact: { id: "501", email: "jordan.lee@example.com", firstName: "Jordan", lastName: "Lee", company: "Lee & Co" },
  lineItems: [
    { name: "Brand identity", quantity: 1, unitPrice: 3000 },
    { name: "Website (5 pages)", quantity: 1, unitPrice: 2000 },
  ],
};

/** A step of a template, as far as the sample needs to know it (drafts may be invalid elsewhere). */
export interface OutlineStep {
  id: string;
  action: string;
  inputs?: Record<string, unknown>;
}

export interface SampleClient {
  deal: DealSnapshot;
  /** The merge data a step would see, built with the interpreter's own `processMergeData`. */
  data: MergeData;
  /** Outputs of the template's steps that run before the previewed one (`{{steps.<id>.<output>}}`). */
  outputs: StepOutputs;
  /** The workspace's settings (its colours brand the previewed email as they brand the sent one). */
  settings: WorkspaceSettings;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** What the sample deal's invoice step would bill: the whole deal, a deposit or the balance. */
function invoiceAmount(inputs: Record<string, unknown>, currency: string): string {
  const percent = typeof inputs.percent === "number" ? inputs.percent : 100;
  const kind = String(inputs.amount ?? "deal");
  const share = kind === "deposit" ? percent / 100 : kind === "balance" ? 1 - percent / 100 : 1;
  return formatMoney(toMinorUnits((SAMPLE_DEAL.amount ?? 0) * share, currency), currency);
}

/** Sample outputs of one step, shaped as its executor returns them. */
function sampleOutputs(
  step: OutlineStep,
  origin: string,
  settings: WorkspaceSettings,
  now: Date,
): Record<string, string | number | null> {
  const action = step.action as ActionName;
  const entry = ACTION_CATALOG[action];
  if (!entry) return {};
  const inputs = step.inputs ?? {};
  const urls: Record<ActionName, string> = {
    "hubspot.find-or-create-contact": SAMPLE_DEAL.url,
    "hubspot.create-deal": SAMPLE_DEAL.url,
    "hubspot.update-deal": SAMPLE_DEAL.url,
    "stripe.create-invoice": `https://invoice.stripe.com/i/acct_sample/${step.id}`,
    "notion.create-project-card": "https://www.notion.so/Brand-refresh-for-Lee-Co-sample",
    "notion.move-card": "https://www.notion.so/Brand-refresh-for-Lee-Co-sample",
    "gmail.send-email": "",
    "contract.send": `${origin}/c/sample-agreement`,
    "calendar.create-event": "https://calendar.google.com/calendar/event?eid=sample",
    "survey.send": `${origin}/s/sample-survey`,
  };
  const dueDays = typeof inputs.dueDays === "number" ? inputs.dueDays : DEFAULT_INVOICE_DUE_DAYS;
  const values: Record<string, string | number | null> = {
    contactId: SAMPLE_DEAL.contact.id,
    dealId: SAMPLE_DEAL.dealId,
    url: urls[action],
    amount: invoiceAmount(inputs, settings.defaultCurrency),
    dueDate: day(addDuration(now, { amount: dueDays, unit: "days" })),
    number: "INV-0042",
    messageId: "sample-message-id",
  };
  return Object.fromEntries(entry.outputs.map((o: string) => [o, values[o] ?? ""]));
}

/**
 * The sample client a preview renders against: the sample deal, the
 * workspace's own business settings, and the facts earlier steps would have
 * produced. With `steps` (the steps that run before the previewed one), the
 * invoice and project facts are what the interpreter would hold at that
 * point (empty before an invoice step or a project card, as a real client
 * would get); without, every fact is filled.
 */
export function sampleClient(input: {
  businessName: string;
  settings: WorkspaceSettings;
  origin: string;
  steps?: OutlineStep[];
  now?: Date;
}): SampleClient {
  const { settings, origin } = input;
  const now = input.now ?? new Date();
  const startDate = day(now);
  const dueDate = day(addDuration(now, { amount: settings.deliveryDays, unit: "days" }));
  const all = input.steps === undefined;
  const steps = input.steps ?? [];
  const outputs: StepOutputs = Object.fromEntries(
    steps.map((s) => [s.id, sampleOutputs(s, origin, settings, now)] as const),
  );
  const lastInvoice = [...steps].reverse().find((s) => s.action === "stripe.create-invoice");
  const invoiceStep = lastInvoice ?? (all ? { id: "invoice", action: "stripe.create-invoice" } : undefined);
  const invoice = invoiceStep ? sampleOutputs(invoiceStep, origin, settings, now) : undefined;
  const hasCard = all || steps.some((s) => s.action === "notion.create-project-card");
  const data = processMergeData({
    businessName: input.businessName,
    settings,
    deal: SAMPLE_DEAL,
    project: { startDate, dueDate, url: hasCard ? "https://www.notion.so/Brand-refresh-for-Lee-Co-sample" : "" },
    invoice: invoice
      ? {
          url: String(invoice.url),
          number: String(invoice.number),
          amount: String(invoice.amount),
          dueDate: String(invoice.dueDate),
        }
      : { url: "", number: "", amount: "", dueDate: "" },
    agreementUrl: settings.agreementUrl,
    unsubscribeUrl: `${origin}/u/sample-unsubscribe-link`,
  });
  return { deal: SAMPLE_DEAL, data, outputs, settings };
}
