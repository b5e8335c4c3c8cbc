import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { stripe } from "../../integrations/stripe";
import { formatMoney } from "../../integrations/stripe/money";
import { ensureContract } from "../contracts/create-contract-action";
import { renderContract } from "../contracts/render-contract";
import { AppError } from "../errors";
import { holdingStep } from "../runtime/hold-step";
import { type JourneyRun, runAction, updateJourneyStep } from "../runtime/run-step";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { journeyInvoiceStatement } from "../store/journey-invoices";
import { checkDealAmount, NOTHING_TO_INVOICE } from "./check-deal";
import { clientName, lineItemLabel, renderProcessText, type StepOutputs } from "./merge-context";
import type { MergeData } from "./merge-fields";
import { type PaymentSchedule, paymentLines, paymentSchedule } from "./payment-schedule";
import type { ProcessStep, ProcessTemplate } from "./template-schema";

/** What the agreement and invoice steps read of the journey (a part of `StepContext`). */
export interface MoneyContext {
  settings: WorkspaceSettings;
  deal: DealSnapshot;
  data: MergeData;
  outputs: StepOutputs;
  startedAt: Date;
  customerId: string | null;
  /** The journey's pinned template: the agreement states the payments of all its invoice steps. */
  template?: ProcessTemplate;
}

type Output = Record<string, string | number | null>;

/** The agreement's date, YYYY-MM-DD: instalments due "N days from the agreement" count from it. */
const agreedOn = (ctx: MoneyContext) => ctx.startedAt.toISOString().slice(0, 10);

/** The schedule of the journey's template (or of this step alone, for a journey that has none). */
function scheduleFor(ctx: MoneyContext, step?: ProcessStep): PaymentSchedule {
  const template: ProcessTemplate = ctx.template ?? {
    name: "step",
    writeback: false,
    phases: [{ id: "onboarding", name: "", steps: step ? [step] : [] }],
  };
  return paymentSchedule(ctx.deal, template, ctx.settings, agreedOn(ctx));
}

/**
 * `contract.send`: the agreement states the full fee and the payment
 * schedule, computed from the same schedule the invoice steps bill, before
 * any invoice exists. The first text stored is the one the client accepts.
 */
export async function sendContractStep(run: JourneyRun, name: string, step: ProcessStep, ctx: MoneyContext) {
  const rendered = renderContract({
    data: ctx.data,
    lineItems: ctx.deal.lineItems.map(lineItemLabel),
    schedule: scheduleFor(ctx),
    date: agreedOn(ctx),
    titleTemplate: String(step.inputs.title),
    template: step.inputs.body ? String(step.inputs.body) : undefined,
  });
  // On the timeline with the agreement's link; a failure holds the journey (round 0 keeps the step's old name).
  const contract = await holdingStep(
    run,
    name,
    async () => {
      const made = await ensureContract(run.env, {
        workspaceId: run.workspaceId,
        journeyId: run.journeyId,
        ...rendered,
      });
      return { contractId: made.contractId, url: made.url };
    },
    { result: (made) => made },
  );
  if (ctx.data.agreement) ctx.data.agreement.url = contract.url;
  return contract;
}

/** This step's payment of the schedule, and its invoice lines (none when the deal has nothing to bill). */
function billOf(ctx: MoneyContext, step: ProcessStep) {
  const own = scheduleFor(ctx, step);
  const schedule = own.payments.some((p) => p.stepId === step.id)
    ? own
    : scheduleFor({ ...ctx, template: undefined }, step);
  const payment = schedule.payments.find((p) => p.stepId === step.id);
  return { schedule, payment, lines: payment ? paymentLines(ctx.deal, schedule, payment) : [] };
}

/**
 * `stripe.create-invoice`: bills this step's payment of the schedule. With
 * `send: "stripe"` Stripe emails the invoice to the client; otherwise a
 * later email step carries `{{steps.<id>.url}}` and `{{steps.<id>.number}}`.
 */
export async function createInvoiceStep(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: MoneyContext,
): Promise<Output> {
  let bill = billOf(ctx, step);
  if (bill.lines.length === 0) {
    // Held at a visible step: the owner fixes the deal in HubSpot and retries (which reads it again), or skips.
    ctx.deal = await runAction(run, checkDealAmount, { dealId: ctx.deal.dealId }, `${name}.check-deal`);
    bill = billOf(ctx, step);
  }
  const { schedule, payment, lines } = bill;
  if (!payment || lines.length === 0) throw new AppError("nothing_to_invoice", NOTHING_TO_INVOICE, 422);
  // Rendered before any Stripe call: a field that cannot be filled holds the step with nothing created.
  const description = step.inputs.description
    ? renderProcessText(String(step.inputs.description), ctx.data, ctx.outputs)
    : ctx.deal.name;
  const customerId =
    ctx.customerId ??
    (
      await runAction(
        run,
        stripe.actions.findOrCreateCustomer,
        { email: ctx.deal.contact.email, name: clientName(ctx.deal), hubspotContactId: ctx.deal.contact.id },
        `${name}.customer`,
      )
    ).customerId;
  ctx.customerId = customerId;
  const invoice = await runAction(
    run,
    stripe.actions.createInvoice,
    {
      customerId,
      currency: schedule.currency,
      daysUntilDue: payment.dueDays,
      ...(payment.dueDate ? { dueDate: payment.dueDate } : {}),
      description,
      lines,
      metadata: {
        clientflow_journey_id: run.journeyId,
        clientflow_workspace_id: run.workspaceId,
        hubspot_deal_id: ctx.deal.dealId,
      },
      send: step.inputs.send === "stripe",
      automaticTax: step.inputs.automaticTax === true,
    },
    name,
  );
  // The invoice the journey now waits on, recorded as one it created: invoice.* events match it by id.
  await updateJourneyStep(run, `${name}.awaited`, { invoiceId: invoice.invoiceId }, () => [
    journeyInvoiceStatement(run.env.DB, {
      workspaceId: run.workspaceId,
      journeyId: run.journeyId,
      invoiceId: invoice.invoiceId,
      purpose: payment.kind,
    }),
  ]);
  const amount = formatMoney(invoice.amountDue, invoice.currency);
  ctx.data.invoice = { url: invoice.invoiceUrl, number: invoice.number ?? "", amount, dueDate: invoice.dueDate ?? "" };
  return {
    invoiceId: invoice.invoiceId,
    url: invoice.invoiceUrl,
    amount,
    dueDate: invoice.dueDate,
    number: invoice.number,
  };
}
