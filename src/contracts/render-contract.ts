import { formatMoney } from "../../integrations/stripe/money";
import { type MergeData, renderTemplate } from "../engine/merge-fields";
import { type Payment, type PaymentSchedule, paymentLabel } from "../engine/payment-schedule";

/**
 * Merge fields the contract renderer adds on top of the process ones
 * (`PROCESS_MERGE_FIELDS`, src/engine/merge-context.ts), under the `contract` group.
 */
export const CONTRACT_MERGE_FIELDS = {
  contract: ["title", "date", "clientParty", "lineItems", "fee", "schedule"],
} as const;

/** The default agreement's title. */
export const DEFAULT_CONTRACT_TITLE = "Services agreement: {{deal.name}}";

/**
 * The default agreement: parties, services and deliverables, fees, timeline,
 * terms and acceptance. Plain text with merge fields; owners can replace it.
 */
export const DEFAULT_CONTRACT_TEMPLATE = `{{contract.title}}
Date: {{contract.date}}

1. Parties
This agreement is between {{business.name}} (the "Provider") and {{contract.clientParty}} (the "Client").

2. Services and deliverables
The Provider will deliver {{deal.name}} for the Client.
{{deal.description}}

{{contract.lineItems}}

3. Fees and payment
{{contract.fee}}

{{contract.schedule}}
The Provider sends an invoice for each payment, and the Client pays it by the due date shown on the invoice. Work outside the services above is quoted and agreed in writing before it starts.

4. Timeline
Work starts on {{project.startDate}} and is planned to be complete by {{project.dueDate}}. These dates assume the Client provides feedback, access and materials when they are needed. If a date has to move, the Provider will say so promptly and propose a new one.

5. Terms
a) Confidentiality. Each party keeps the other's non-public information confidential and uses it only for this engagement.
b) Ownership. Once the fee is paid in full, the Client owns the final deliverables. The Provider keeps its pre-existing tools and know-how, and may show the work in its portfolio unless the Client objects in writing.
c) Ending early. Either party may end this agreement with 14 days' written notice. The Client pays for the work done up to that date.
d) Liability. Each party's total liability under this agreement is limited to the fees paid under it, except where the law does not allow such a limit.
e) Whole agreement. This agreement and its invoice are the whole agreement about these services. Changes must be agreed in writing.

6. Acceptance
The Client accepts this agreement by typing their full name and selecting "I accept" on the agreement page. The Provider keeps a record of the name typed, the date and time, the IP address and browser used, and a SHA-256 fingerprint of this exact text.

For {{business.name}}: {{business.senderName}}`;

/** What a contract is rendered from. */
export interface ContractInput {
  /** Onboarding merge data: client, deal, invoice, project, business (see onboardingMergeData). */
  data: MergeData;
  /** Deliverables, one per line item, e.g. "Strategy session × 4". */
  lineItems?: string[];
  /** The fee and its payments (src/engine/payment-schedule.ts): `{{contract.fee}}` and `{{contract.schedule}}`. */
  schedule?: PaymentSchedule;
  /** The agreement's date (YYYY-MM-DD). Passed in so a replayed step renders the same text. */
  date: string;
  template?: string;
  titleTemplate?: string;
}

/** A rendered contract: the exact text the client will read and accept. */
export interface RenderedContract {
  title: string;
  text: string;
}

/** Unix line ends, no trailing spaces, at most one blank line in a row (empty fields leave no gaps). */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** When the default process sends an invoice, by the phase its step runs in. */
const INVOICED: Record<string, string> = {
  lead: "invoiced with this agreement",
  onboarding: "invoiced with this agreement",
  fulfillment: "invoiced during the work",
  offboarding: "invoiced at delivery",
  follow_up: "invoiced after delivery",
};

/** "The fee for the services is €2,400.00:" with a line per item (quantity × unit price) and the total. */
export function feeText(schedule: PaymentSchedule): string {
  const money = (minor: number) => formatMoney(minor, schedule.currency);
  if (schedule.total <= 0) return "The fee for the services is agreed in writing before any work starts.";
  if (!schedule.lines.length) return `The fee for the services is ${money(schedule.total)}.`;
  return [
    `The fee for the services is ${money(schedule.total)}:`,
    ...schedule.lines.map((l) => `- ${l.label}: ${l.quantity} × ${money(l.unitPrice)} = ${money(l.amount)}`),
    `Total: ${money(schedule.total)}`,
  ].join("\n");
}

/** One payment as the agreement states it: what, how much, when invoiced, when due. */
function paymentText(payment: Payment, currency: string): string {
  const what =
    payment.kind === "deposit" && payment.percent !== null
      ? `Deposit (${payment.percent}%)`
      : payment.kind === "deal"
        ? "The full fee"
        : paymentLabel(payment);
  const due = payment.dueDate
    ? `due on ${payment.dueDate}`
    : `due within ${payment.dueDays} day${payment.dueDays === 1 ? "" : "s"} of the invoice`;
  const when = payment.kind === "instalment" ? "" : `, ${INVOICED[payment.phase] ?? "invoiced as the work goes"}`;
  return `- ${what}: ${formatMoney(payment.amount, currency)}${when}, ${due}.`;
}

/** "Payment schedule:" and a line per payment; empty when the process sends no invoice. */
export function scheduleText(schedule: PaymentSchedule): string {
  if (!schedule.payments.length || schedule.total <= 0) return "";
  return ["Payment schedule:", ...schedule.payments.map((p) => paymentText(p, schedule.currency))].join("\n");
}

/**
 * Renders the agreement in text mode (the page escapes it when it shows it).
 * Unknown merge fields throw, naming the field.
 */
export function renderContract(input: ContractInput): RenderedContract {
  const client = input.data.client ?? {};
  const fullName = String(client.fullName ?? "").trim();
  const company = String(client.company ?? "").trim();
  const items = (input.lineItems ?? []).map((i) => i.trim()).filter(Boolean);
  const base: MergeData = {
    ...input.data,
    contract: { title: "", date: input.date, clientParty: "", lineItems: "", fee: "", schedule: "" },
  };
  const title = renderTemplate(input.titleTemplate ?? DEFAULT_CONTRACT_TITLE, base, { html: false })
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  const data: MergeData = {
    ...base,
    contract: {
      title,
      date: input.date,
      clientParty: [...new Set([fullName, company].filter(Boolean))].join(", "),
      lineItems: items.length ? ["The services include:", ...items.map((i) => `- ${i}`)].join("\n") : "",
      fee: input.schedule ? feeText(input.schedule) : "",
      schedule: input.schedule ? scheduleText(input.schedule) : "",
    },
  };
  return { title, text: tidy(renderTemplate(input.template ?? DEFAULT_CONTRACT_TEMPLATE, data, { html: false })) };
}
