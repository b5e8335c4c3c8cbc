import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { toMinorUnits } from "../../integrations/stripe/money";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { DEFAULT_INVOICE_DUE_DAYS } from "./action-catalog";
import { conditionHolds, lineItemLabel } from "./merge-context";
import type { ProcessStep, ProcessTemplate } from "./template-schema";

/** What an invoice step bills: the whole fee, a deposit, the balance after deposits, or one of n instalments. */
export const INVOICE_AMOUNTS = ["deal", "deposit", "balance", "instalment"] as const;
export type InvoiceAmount = (typeof INVOICE_AMOUNTS)[number];

/** One line of the fee: "Strategy session", 4 × 50000 = 200000 (minor units). */
export interface FeeLine {
  label: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

/** One payment of the schedule: what one invoice step will bill, in minor units. */
export interface Payment {
  stepId: string;
  phase: string;
  kind: InvoiceAmount;
  amount: number;
  percent: number | null;
  instalment: number | null;
  instalments: number | null;
  /** Days the client has to pay, counted from the invoice (Stripe's days_until_due). */
  dueDays: number;
  /** A fixed due date (YYYY-MM-DD): an instalment's date, or a step's `dueDate`. */
  dueDate: string | null;
}

/** The fee and how it is paid: the agreement states it, the invoice steps bill it. */
export interface PaymentSchedule {
  /** ISO 4217, lower case: the deal's own, else the workspace default. */
  currency: string;
  /** The full fee in minor units: the sum of the line items, else the deal's amount. */
  total: number;
  /** The deal's line items (empty when the deal has only an amount). */
  lines: FeeLine[];
  /** One per invoice step that runs for this deal, in template order. */
  payments: Payment[];
}

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** `YYYY-MM-DD` plus whole days. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The invoice steps of a template that run for this deal (a step whose condition fails bills nothing). */
function invoiceSteps(template: ProcessTemplate, deal: DealSnapshot): { phase: string; step: ProcessStep }[] {
  return template.phases.flatMap((phase) =>
    phase.steps
      .filter((step) => step.action === "stripe.create-invoice" && conditionHolds(step.condition, deal))
      .map((step) => ({ phase: phase.id, step })),
  );
}

/**
 * The one source of the fee and its schedule: the agreement states what
 * this returns and each invoice step bills its own payment from it, so the
 * client signs exactly what they will be invoiced. Amounts are integers in
 * minor units; a deposit is rounded, and the balance or the last instalment
 * takes the remainder, so the payments add up to the fee to the cent (or yen).
 * `agreedOn` (YYYY-MM-DD, the agreement's date) dates instalments given in
 * days from the agreement.
 */
export function paymentSchedule(
  deal: DealSnapshot,
  template: ProcessTemplate,
  settings: Pick<WorkspaceSettings, "defaultCurrency">,
  agreedOn?: string,
): PaymentSchedule {
  const currency = (deal.currency ?? settings.defaultCurrency).toLowerCase();
  const lines = deal.lineItems.map((item) => ({
    label: item.name,
    quantity: item.quantity,
    unitPrice: toMinorUnits(item.unitPrice, currency),
    amount: toMinorUnits(item.unitPrice * item.quantity, currency),
  }));
  const total = lines.length
    ? lines.reduce((n, line) => n + line.amount, 0)
    : deal.amount
      ? toMinorUnits(deal.amount, currency)
      : 0;
  const steps = invoiceSteps(template, deal);
  const share = (percent: number | null) => Math.round((total * (percent ?? 100)) / 100);
  const deposits = steps
    .filter(({ step }) => step.inputs.amount === "deposit")
    .reduce((n, { step }) => n + share(num(step.inputs.percent)), 0);
  const payments = steps.map(({ phase, step }): Payment => {
    const kind = (INVOICE_AMOUNTS as readonly unknown[]).includes(step.inputs.amount)
      ? (step.inputs.amount as InvoiceAmount)
      : "deal";
    const percent = num(step.inputs.percent);
    const n = kind === "instalment" ? Math.max(1, Math.trunc(num(step.inputs.instalments) ?? 1)) : null;
    const k =
      kind === "instalment" ? Math.min(n ?? 1, Math.max(1, Math.trunc(num(step.inputs.instalment) ?? 1))) : null;
    const dueDays = num(step.inputs.dueDays) ?? DEFAULT_INVOICE_DUE_DAYS;
    let amount: number;
    if (kind === "deposit") amount = share(percent);
    // The balance is what the deposits leave; alone, `percent` names the deposit it follows (as it always did).
    else if (kind === "balance") amount = total - (deposits > 0 ? deposits : share(percent));
    else if (kind === "instalment" && n && k) {
      const each = Math.floor(total / n);
      amount = k < n ? each : total - each * (n - 1);
    } else amount = total;
    const fixed = typeof step.inputs.dueDate === "string" && step.inputs.dueDate ? step.inputs.dueDate : null;
    const dueDate = fixed ?? (kind === "instalment" && agreedOn ? addDays(agreedOn, dueDays) : null);
    return { stepId: step.id, phase, kind, amount, percent, instalment: k, instalments: n, dueDays, dueDate };
  });
  return { currency, total, lines, payments };
}

/** An invoice's lines for one payment: the items for the whole fee, else one line naming the payment. */
export function paymentLines(
  deal: DealSnapshot,
  schedule: PaymentSchedule,
  payment: Payment,
): { description: string; amount: number }[] {
  if (payment.kind === "deal" && schedule.lines.length)
    return deal.lineItems.map((item, i) => ({
      description: lineItemLabel(item),
      amount: schedule.lines[i]?.amount ?? 0,
    }));
  return payment.amount > 0 ? [{ description: `${paymentLabel(payment)}: ${deal.name}`, amount: payment.amount }] : [];
}

/** How a payment is named: "Deposit", "Balance", "Instalment 2 of 3", "Fee". */
export function paymentLabel(payment: Payment): string {
  if (payment.kind === "deposit") return "Deposit";
  if (payment.kind === "balance") return "Balance";
  if (payment.kind === "instalment") return `Instalment ${payment.instalment} of ${payment.instalments}`;
  return "Fee";
}
