import { messageIdFor } from "../../integrations/google/actions/send-email";
import { formatMoney } from "../../integrations/stripe/money";
import type { ProcessTemplate } from "../engine/template-schema";
import { invoicePaidEvents } from "../store/evidence";
import { listJourneyInvoices } from "../store/journey-invoices";
import type { JourneyStep } from "../store/journey-steps";
import type { Journey } from "../store/journeys";

/** One email that carried the agreement's link, as the journey's timeline recorded it. */
export interface EvidenceEmail {
  /** The permanent step name, e.g. `onboarding.welcome-email` or `onboarding.agreement-signed.reminder-1`. */
  step: string;
  label: string | null;
  /** When the send step finished (Gmail accepted the message). */
  sentAt: string | null;
  gmailMessageId: string;
  gmailThreadId: string | null;
  /** The RFC 5322 Message-ID header the send set: derived from the step and the sender (messageIdFor). */
  messageIdHeader: string | null;
  from: string | null;
  /**
   * The journey's client, and the address the email went to as the send step
   * recorded it (null for a send recorded before steps kept their recipient).
   */
  to: { name: string | null; email: string | null; hubspotContactId: string | null };
}

/** One invoice the journey created, with its payment as Stripe reported it. */
export interface EvidenceInvoice {
  invoiceId: string;
  purpose: string;
  step: string | null;
  number: string | null;
  /** Amount due in the currency's minor unit (Stripe's `amount_due`), and as shown ("$1,200.00"). */
  amountDue: number | null;
  currency: string | null;
  amount: string | null;
  dueDate: string | null;
  url: string | null;
  /** `paid` once an `invoice.paid` event for it was received; else `unpaid` as far as Clientflow knows. */
  status: "paid" | "unpaid";
  payment: { paidAt: string; stripeEventId: string; receivedAt: string } | null;
}

/** Tokens that put the agreement's link in an email (CLIENT_LINK_FIELDS, src/engine/merge-context.ts). */
const AGREEMENT_TOKENS = ["agreement.url", "links.agreement"];

function mentionsAgreement(texts: unknown[], contractStepIds: string[]): boolean {
  const tokens = [...AGREEMENT_TOKENS, ...contractStepIds.map((id) => `steps.${id}.url`)];
  return texts.some((text) => {
    if (typeof text !== "string") return false;
    const used = [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]);
    return used.some((token) => token !== undefined && tokens.includes(token));
  });
}

/**
 * The timeline names of the steps whose emails carry the agreement: email
 * steps whose subject or body holds its link, and the reminders of steps
 * that remind while it is unsigned or whose reminder text holds the link
 * (named `<phase>.<step>.reminder-<n>`, src/engine/journey-workflow.ts).
 */
export function agreementEmailSteps(template: ProcessTemplate): { exact: Set<string>; reminderPrefixes: string[] } {
  const contractStepIds = template.phases.flatMap((p) =>
    p.steps.filter((s) => s.action === "contract.send").map((s) => s.id),
  );
  const exact = new Set<string>();
  const reminderPrefixes: string[] = [];
  for (const phase of template.phases) {
    for (const step of phase.steps) {
      const name = `${phase.id}.${step.id}`;
      if (
        step.action === "gmail.send-email" &&
        mentionsAgreement([step.inputs.subject, step.inputs.body], contractStepIds)
      )
        exact.add(name);
      if (step.reminders.some((r) => r.while === "unsigned" || mentionsAgreement([r.subject, r.body], contractStepIds)))
        reminderPrefixes.push(`${name}.reminder-`);
    }
  }
  return { exact, reminderPrefixes };
}

const field = (result: unknown, key: string): string | null => {
  const value = result && typeof result === "object" ? (result as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : value === undefined || value === null ? null : String(value);
};

/**
 * The emails that delivered the agreement: steps of the template's agreement
 * emails that Gmail accepted (a message id recorded) after the agreement was
 * made, in timeline order. A skipped send (an unsubscribed client) has no id.
 */
export async function emailTrail(
  journey: Journey,
  template: ProcessTemplate,
  steps: JourneyStep[],
  contractSentAt: string,
  sender: string | null,
): Promise<EvidenceEmail[]> {
  const { exact, reminderPrefixes } = agreementEmailSteps(template);
  const carries = (name: string) => exact.has(name) || reminderPrefixes.some((p) => name.startsWith(p));
  const sent = steps.filter(
    (s) =>
      carries(s.name) &&
      s.status === "succeeded" &&
      field(s.result, "messageId") !== null &&
      (s.finishedAt ?? s.startedAt) >= contractSentAt,
  );
  return Promise.all(
    sent.map(async (s) => ({
      step: s.name,
      label: s.label,
      sentAt: s.finishedAt,
      gmailMessageId: field(s.result, "messageId") ?? "",
      gmailThreadId: field(s.result, "threadId"),
      // The send used `journeyId:stepName` as its key (runAction, src/runtime/run-step.ts).
      messageIdHeader: sender ? `<${await messageIdFor(`${journey.id}:${s.name}`, sender)}>` : null,
      from: sender,
      to: { name: journey.clientName, email: field(s.result, "to"), hubspotContactId: journey.contactId },
    })),
  );
}

/** The journey's invoices (journey_invoices) with what their steps recorded and their `invoice.paid` events. */
export async function invoiceTrail(db: D1Database, journey: Journey, steps: JourneyStep[]): Promise<EvidenceInvoice[]> {
  const invoices = await listJourneyInvoices(db, journey.id);
  const paid = await invoicePaidEvents(
    db,
    journey.workspaceId,
    invoices.map((i) => i.invoiceId),
  );
  return invoices.map(({ invoiceId, purpose }) => {
    // The invoice step's row (its result has the currency), not a later step that names the invoice.
    const step =
      steps.find((s) => field(s.result, "invoiceId") === invoiceId && field(s.result, "currency") !== null) ?? null;
    const event = paid.find((e) => e.invoiceId === invoiceId) ?? null;
    // The step's row holds the invoice action's output (integrations/stripe/actions/create-invoice.ts).
    const due =
      step?.result && typeof step.result === "object" ? (step.result as { amountDue?: unknown }).amountDue : null;
    const amountDue = Number.isSafeInteger(due) ? (due as number) : null;
    const currency = field(step?.result, "currency");
    return {
      invoiceId,
      purpose,
      step: step?.name ?? null,
      number: field(step?.result, "number"),
      amountDue,
      currency,
      amount: amountDue !== null && currency ? formatMoney(amountDue, currency) : null,
      dueDate: field(step?.result, "dueDate"),
      url: field(step?.result, "invoiceUrl"),
      status: event ? "paid" : "unpaid",
      payment: event ? { paidAt: event.paidAt, stripeEventId: event.eventId, receivedAt: event.receivedAt } : null,
    };
  });
}
