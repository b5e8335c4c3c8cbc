import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { notion } from "../../integrations/notion";
import { stripe } from "../../integrations/stripe";
import { toMinorUnits } from "../../integrations/stripe/money";
import type { AppEnv } from "../env";
import { type JourneyRun, recordStep, runAction, updateJourneyStep } from "../runtime/run-step";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { getWorkspace } from "../settings/workspaces";
import { recordJourneyCard } from "../store/journey-cards";
import { markStepFinished, markStepWaiting } from "../store/journey-steps";
import { markNotionStatusWritten } from "../store/sync-state";
import { INVOICE_PAID_EVENT, type InvoicePaidPayload, type OnboardingParams } from "./onboarding-params";
import { clientName, onboardingMergeData, renderPaymentReminder, renderWelcomeEmail } from "./welcome-email";

/** The onboarding checklist on every new project card. */
const ONBOARDING_CHECKLIST = [
  "Agreement accepted",
  "Invoice paid",
  "Kickoff meeting scheduled",
  "Project folder shared",
  "Intake questionnaire received",
];

const addDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Invoice lines in minor units: the deal's line items, else its amount. */
function invoiceLines(deal: DealSnapshot, currency: string) {
  if (deal.lineItems.length > 0) {
    return deal.lineItems.map((item) => ({
      description: item.quantity !== 1 ? `${item.name} × ${item.quantity}` : item.name,
      amount: toMinorUnits(item.unitPrice * item.quantity, currency),
    }));
  }
  return deal.amount ? [{ description: deal.name, amount: toMinorUnits(deal.amount, currency) }] : [];
}

/** Records a step as failed on the timeline and ends the journey (no retry can fix it). */
async function failStep(run: JourneyRun, name: string, message: string): Promise<never> {
  await recordStep(run, name, async () => {
    await markStepFinished(run.env.DB, run.journeyId, name, { status: "failed", error: message });
    return null;
  });
  throw new NonRetryableError(`${name}: ${message}`);
}

/**
 * Onboarding for one won deal: read the deal → Stripe invoice → Notion card →
 * welcome email → HubSpot write-back → wait for payment (with reminders) →
 * card to "In progress" and HubSpot updated. Every side effect is its own
 * durable step; step names are permanent.
 */
export class OnboardingWorkflow extends WorkflowEntrypoint<AppEnv, OnboardingParams> {
  override async run(event: WorkflowEvent<OnboardingParams>, step: WorkflowStep) {
    const { workspaceId, journeyId, dealId } = event.payload;
    const run: JourneyRun = { env: this.env, step, workspaceId, journeyId };
    try {
      return await onboard(run, dealId, event.timestamp);
    } catch (error) {
      await updateJourneyStep(run, "journey.mark-failed", { status: "failed" });
      throw error;
    }
  }
}

async function onboard(run: JourneyRun, dealId: string, startedAt: Date) {
  const { env, journeyId, workspaceId } = run;
  // The workspace as it was when the journey started: later edits do not change a running journey.
  const workspace = await recordStep(run, "journey.load-workspace", async () => {
    const w = await getWorkspace(env.DB, workspaceId);
    return { name: w.name, settings: w.settings };
  });
  const settings: WorkspaceSettings = workspace.settings;

  const deal = await runAction(run, hubspot.actions.getDeal, { dealId });
  await updateJourneyStep(run, "journey.record-client", { contactId: deal.contact.id, clientName: clientName(deal) });

  const customer = await runAction(run, stripe.actions.findOrCreateCustomer, {
    email: deal.contact.email,
    name: clientName(deal),
    hubspotContactId: deal.contact.id,
  });
  const currency = deal.currency ?? settings.defaultCurrency;
  const lines = invoiceLines(deal, currency);
  if (lines.length === 0) await failStep(run, "stripe.create-invoice", "The deal has no line items and no amount");
  const invoice = await runAction(run, stripe.actions.createInvoice, {
    customerId: customer.customerId,
    currency,
    daysUntilDue: settings.invoiceDueDays,
    description: deal.name,
    lines,
    metadata: { clientflow_journey_id: journeyId, clientflow_workspace_id: workspaceId, hubspot_deal_id: dealId },
  });
  await updateJourneyStep(run, "journey.record-invoice", { invoiceId: invoice.invoiceId });

  const startDate = deal.closeDate?.slice(0, 10) ?? startedAt.toISOString().slice(0, 10);
  const dueDate = addDays(startDate, settings.deliveryDays);
  const card = await runAction(run, notion.actions.createProjectCard, {
    title: deal.name,
    status: settings.notionStatuses.onboarding,
    clientName: clientName(deal),
    dealUrl: deal.url,
    invoiceUrl: invoice.invoiceUrl,
    dueDate,
    checklist: ONBOARDING_CHECKLIST,
  });
  await recordStep(run, "notion.record-card", async () => {
    await recordJourneyCard(env.DB, journeyId, card.pageId);
    await markNotionStatusWritten(env.DB, journeyId, settings.notionStatuses.onboarding);
    return null;
  });

  const mergeData = onboardingMergeData({
    businessName: workspace.name,
    settings,
    deal,
    invoice,
    project: { startDate, dueDate, url: card.pageUrl },
  });
  const to = { name: clientName(deal), email: deal.contact.email };
  const welcome = renderWelcomeEmail(settings, mergeData, deal);
  const email = await runAction(
    run,
    google.actions.sendEmail,
    { to, fromName: settings.senderName, ...welcome },
    "gmail.send-welcome-email",
  );

  await runAction(
    run,
    hubspot.actions.updateDeal,
    {
      dealId,
      properties: {
        clientflow_status: "Onboarding: awaiting payment",
        clientflow_invoice_url: invoice.invoiceUrl,
        clientflow_project_url: card.pageUrl,
      },
    },
    "hubspot.update-deal-onboarding",
  );

  const paid = await awaitPayment(run, settings, (n) => ({
    to,
    fromName: settings.senderName,
    ...renderPaymentReminder(mergeData, n),
  }));
  if (!paid) {
    await runAction(
      run,
      hubspot.actions.updateDeal,
      { dealId, properties: { clientflow_status: "Unpaid" } },
      "hubspot.update-deal-unpaid",
    );
    await updateJourneyStep(run, "journey.mark-unpaid", { status: "unpaid" });
    return { status: "unpaid" as const, invoiceId: invoice.invoiceId };
  }

  await runAction(
    run,
    notion.actions.moveCard,
    { pageId: card.pageId, status: settings.notionStatuses.inProgress },
    "notion.move-card-in-progress",
  );
  await recordStep(run, "notion.move-card-in-progress.written", async () => {
    await markNotionStatusWritten(env.DB, journeyId, settings.notionStatuses.inProgress);
    return null;
  });
  await runAction(
    run,
    hubspot.actions.updateDeal,
    { dealId, properties: { clientflow_status: "Paid: in progress" } },
    "hubspot.update-deal-paid",
  );
  await updateJourneyStep(run, "journey.mark-onboarded", { phase: "fulfillment", status: "complete" });
  return {
    status: "paid" as const,
    invoiceId: invoice.invoiceId,
    pageId: card.pageId,
    welcomeMessageId: email.messageId,
    paidAt: paid.paidAt,
  };
}

/**
 * Waits for `stripe.invoice.paid`; each timeout sends the next reminder and
 * waits again. After the last reminder's wait, the journey is unpaid (null).
 */
async function awaitPayment(
  run: JourneyRun,
  settings: WorkspaceSettings,
  reminder: (n: number) => {
    to: { name: string; email: string };
    fromName: string;
    subject: string;
    text: string;
    html: string;
  },
): Promise<InvoicePaidPayload | null> {
  const { env, journeyId } = run;
  await updateJourneyStep(run, "journey.await-payment", { status: "waiting" }, () =>
    markStepWaiting(env.DB, journeyId, "stripe.invoice-paid"),
  );
  for (let round = 0; round <= settings.maxPaymentReminders; round++) {
    try {
      const event = await run.step.waitForEvent<InvoicePaidPayload>(`stripe.wait-invoice-paid-${round}`, {
        type: INVOICE_PAID_EVENT,
        timeout: `${settings.paymentReminderHours} hours`,
      });
      await updateJourneyStep(run, "journey.payment-received", { status: "running" }, () =>
        markStepFinished(env.DB, journeyId, "stripe.invoice-paid", { status: "succeeded", result: event.payload }),
      );
      return event.payload;
    } catch {
      // Timed out: remind, unless this was the wait after the last reminder.
      if (round === settings.maxPaymentReminders) return null;
      await runAction(run, google.actions.sendEmail, reminder(round + 1), `gmail.send-payment-reminder-${round + 1}`);
    }
  }
  return null;
}
