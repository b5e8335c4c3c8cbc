import { INVOICE_AMOUNTS } from "./payment-schedule";
import type { ProcessStep } from "./template-schema";

/** How an invoice's payment link reaches the client: Stripe's own email, or a later email step of the template. */
export const INVOICE_SENDS = ["stripe", "email"] as const;

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/**
 * The inputs of a `stripe.create-invoice` step: the payment plan (`amount`,
 * `percent`, `instalment` k of `instalments` n), its due terms (`dueDays`,
 * `dueDate`), `send` and `automaticTax`. Each problem names its input.
 */
export function checkInvoiceInputs(step: ProcessStep): string[] {
  const errors: string[] = [];
  const { amount, percent, instalment, instalments, dueDays, dueDate, send, automaticTax } = step.inputs;
  if (amount !== undefined && !(INVOICE_AMOUNTS as readonly unknown[]).includes(amount))
    errors.push(`input "amount" must be deal, deposit, balance or instalment`);
  if ((amount === "deposit" || amount === "balance") && (typeof percent !== "number" || percent <= 0 || percent >= 100))
    errors.push(`input "percent" must be a number between 1 and 99 for a ${amount}`);
  if (amount === "instalment") {
    if (!isInt(instalments, 2, 24)) errors.push(`input "instalments" must be a whole number from 2 to 24`);
    else if (!isInt(instalment, 1, instalments))
      errors.push(`input "instalment" must be a whole number from 1 to ${instalments}`);
    if (dueDays === undefined && dueDate === undefined)
      errors.push(`an instalment needs its date: input "dueDays" (days from the agreement) or "dueDate"`);
  } else {
    for (const name of ["instalment", "instalments"] as const)
      if (step.inputs[name] !== undefined) errors.push(`input "${name}" is only for amount "instalment"`);
  }
  if (dueDays !== undefined && !isInt(dueDays, 0, 365))
    errors.push(`input "dueDays" must be a whole number of days, 0 to 365`);
  if (
    dueDate !== undefined &&
    (typeof dueDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(dueDate)))
  )
    errors.push(`input "dueDate" must be a date YYYY-MM-DD`);
  if (send !== undefined && !(INVOICE_SENDS as readonly unknown[]).includes(send))
    errors.push(`input "send" must be stripe or email`);
  if (automaticTax !== undefined && typeof automaticTax !== "boolean")
    errors.push(`input "automaticTax" must be true or false`);
  return errors;
}

/**
 * An invoice step that Stripe does not send (`send: "email"`, or no `send`)
 * whose link no later email step carries: the client would never get it.
 * An email carries it with `{{steps.<id>.url}}`, or with `{{invoice.url}}`
 * while this is the latest invoice (the merge data's `invoice` is the last
 * one made). An invalid `send` is named by checkInvoiceInputs instead.
 */
export function unsentInvoice(step: ProcessStep, all: ProcessStep[]): string | null {
  const { send } = step.inputs;
  if (step.action !== "stripe.create-invoice" || (send !== undefined && send !== "email")) return null;
  const own = new RegExp(`\\{\\{\\s*steps\\.${step.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.url\\s*\\}\\}`);
  const latest = /\{\{\s*invoice\.url\s*\}\}/;
  let isLatest = true;
  for (const later of all.slice(all.indexOf(step) + 1)) {
    if (later.action === "stripe.create-invoice") isLatest = false;
    if (later.action !== "gmail.send-email") continue;
    const texts = [later.inputs.subject, later.inputs.body].filter((t): t is string => typeof t === "string");
    if (texts.some((t) => own.test(t) || (isLatest && latest.test(t)))) return null;
  }
  return `no later email step carries {{steps.${step.id}.url}}: add one, or let Stripe send the invoice (send: "stripe")`;
}
