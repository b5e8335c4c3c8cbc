import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import type { ClientflowDealProperty } from "../../integrations/hubspot/actions/update-deal";
import { notion } from "../../integrations/notion";
import { stripe } from "../../integrations/stripe";
import { formatMoney, toMinorUnits } from "../../integrations/stripe/money";
import { ensureContract } from "../contracts/create-contract-action";
import { renderContract } from "../contracts/render-contract";
import { AppError } from "../errors";
import { type JourneyRun, recordStep, runAction, updateJourneyStep } from "../runtime/run-step";
import { markFinished } from "../runtime/step-rows";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { recordJourneyCard } from "../store/journey-cards";
import { recordJourneyInvoice } from "../store/journey-invoices";
import { markHubspotStageWritten, markNotionStatusWritten } from "../store/sync-state";
import { ensureSurvey } from "../surveys/surveys";
import { emailHtml } from "../ui/html";
import { isUnsubscribed, listUnsubscribeHeaders } from "../unsubscribe/links";
import { type ActionName, DEFAULT_INVOICE_DUE_DAYS } from "./action-catalog";
import { parseDealProperties } from "./deal-properties";
import { LEAD_EXECUTORS, type LeadFacts } from "./lead-executors";
import { clientName, lineItemLabel, renderProcessText, type StepOutputs } from "./merge-context";
import type { MergeData } from "./merge-fields";
import { sendClientEmail } from "./send-client-email";
import type { ProcessStep } from "./template-schema";

/** What a step can read while it runs. */
export interface StepContext {
  settings: WorkspaceSettings;
  deal: DealSnapshot;
  data: MergeData;
  outputs: StepOutputs;
  /** When the journey started (deterministic across replays). */
  startedAt: Date;
  /** The Notion card, once created. */
  cardPageId: string | null;
  /** Card statuses in the order the template moves through them (for "reached or passed"). */
  statusOrder: string[];
  customerId: string | null;
  /** The lead the journey started from, while it is in its lead phase (its deal snapshot has no deal yet). */
  lead?: LeadFacts;
}

type Output = Record<string, string | number | null>;
type Executor = (run: JourneyRun, name: string, step: ProcessStep, ctx: StepContext) => Promise<Output>;

/** An input's text; in an email an unset client link stays a token, for the send step to fill or fail on (sendClientEmail). */
const text = (step: ProcessStep, key: string, ctx: StepContext, keepUnsetLinks = false) =>
  renderProcessText(String(step.inputs[key] ?? ""), ctx.data, ctx.outputs, { keepUnsetLinks });

/**
 * Sends an email to the client from the connected Google account. Marketing
 * emails (follow-ups) carry List-Unsubscribe headers and are skipped for a
 * client who unsubscribed: the check is its own step, just before the send.
 */
export async function sendProcessEmail(
  run: JourneyRun,
  name: string,
  ctx: StepContext,
  subject: string,
  body: string,
  marketing = false,
) {
  const to = { name: clientName(ctx.deal), email: ctx.deal.contact.email };
  let headers: Record<string, string> | undefined;
  if (marketing) {
    const unsubscribed = await recordStep(run, `${name}.unsubscribed`, async () => {
      const gone = await isUnsubscribed(run.env.DB, run.workspaceId, to.email);
      if (gone) {
        await markFinished(run, name, {
          status: "succeeded",
          result: { messageId: null, skipped: "unsubscribed" },
        });
      }
      return gone;
    });
    if (unsubscribed) return { messageId: null, skipped: "unsubscribed" } as Output;
    headers = listUnsubscribeHeaders(String(ctx.data.links?.unsubscribe));
  }
  const sent = await runAction(
    run,
    sendClientEmail,
    { to, fromName: ctx.settings.senderName, subject, text: body, html: emailHtml(body), headers },
    name,
  );
  return { messageId: sent.messageId } as Output;
}

/** The deal's invoice lines in minor units, scaled to a share (deposit/balance). */
function lines(deal: DealSnapshot, currency: string, share: number, label: string) {
  const items = deal.lineItems.length
    ? deal.lineItems.map((i) => ({
        description: lineItemLabel(i),
        amount: toMinorUnits(i.unitPrice * i.quantity * share, currency),
      }))
    : deal.amount
      ? [{ description: deal.name, amount: toMinorUnits(deal.amount * share, currency) }]
      : [];
  if (share === 1) return items;
  const total = items.reduce((n, i) => n + i.amount, 0);
  return total > 0 ? [{ description: `${label}: ${deal.name}`, amount: total }] : [];
}

const EXECUTORS: Partial<Record<ActionName, Executor>> = {
  ...LEAD_EXECUTORS,

  "gmail.send-email": (run, name, step, ctx) =>
    sendProcessEmail(
      run,
      name,
      ctx,
      text(step, "subject", ctx, true),
      text(step, "body", ctx, true),
      step.inputs.marketing === true,
    ),

  async "stripe.create-invoice"(run, name, step, ctx) {
    const kind = String(step.inputs.amount);
    const percent = typeof step.inputs.percent === "number" ? step.inputs.percent : 100;
    const share = kind === "deal" ? 1 : kind === "deposit" ? percent / 100 : 1 - percent / 100;
    const currency = ctx.deal.currency ?? ctx.settings.defaultCurrency;
    const invoiceLines = lines(ctx.deal, currency, share, kind === "deposit" ? "Deposit" : "Balance");
    if (invoiceLines.length === 0)
      throw new AppError("nothing_to_invoice", "The deal has no line items and no amount", 422);
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
        currency,
        daysUntilDue: typeof step.inputs.dueDays === "number" ? step.inputs.dueDays : DEFAULT_INVOICE_DUE_DAYS,
        description: step.inputs.description ? text(step, "description", ctx) : ctx.deal.name,
        lines: invoiceLines,
        metadata: {
          clientflow_journey_id: run.journeyId,
          clientflow_workspace_id: run.workspaceId,
          hubspot_deal_id: ctx.deal.dealId,
        },
      },
      name,
    );
    // The invoice the journey now waits on, recorded as one it created: invoice.* events match it by id.
    await updateJourneyStep(run, `${name}.awaited`, { invoiceId: invoice.invoiceId }, () =>
      recordJourneyInvoice(run.env.DB, {
        workspaceId: run.workspaceId,
        journeyId: run.journeyId,
        invoiceId: invoice.invoiceId,
        purpose: kind,
      }),
    );
    ctx.data.invoice = {
      url: invoice.invoiceUrl,
      number: invoice.number ?? "",
      amount: formatMoney(invoice.amountDue, invoice.currency),
      dueDate: invoice.dueDate ?? "",
    };
    return {
      invoiceId: invoice.invoiceId,
      url: invoice.invoiceUrl,
      amount: formatMoney(invoice.amountDue, invoice.currency),
      dueDate: invoice.dueDate,
      number: invoice.number,
    };
  },

  async "notion.create-project-card"(run, name, step, ctx) {
    const checklist = String(step.inputs.checklist ?? "Agreement accepted\nDeposit paid\nKickoff meeting held")
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean);
    const card = await runAction(
      run,
      notion.actions.createProjectCard,
      {
        title: ctx.deal.name,
        status: text(step, "status", ctx),
        clientName: clientName(ctx.deal),
        dealUrl: ctx.deal.url,
        invoiceUrl: String(ctx.data.invoice?.url || ctx.deal.url),
        dueDate: String(ctx.data.project?.dueDate),
        checklist,
      },
      name,
    );
    ctx.cardPageId = card.pageId;
    await recordStep(run, `${name}.record-card`, async () => {
      await recordJourneyCard(run.env.DB, run.journeyId, card.pageId);
      await markNotionStatusWritten(run.env.DB, run.journeyId, text(step, "status", ctx));
      return null;
    });
    if (ctx.data.project) ctx.data.project.url = card.pageUrl;
    return { pageId: card.pageId, url: card.pageUrl };
  },

  async "notion.move-card"(run, name, step, ctx) {
    if (!ctx.cardPageId) throw new AppError("no_card", "There is no project card to move yet", 422);
    const status = text(step, "status", ctx);
    await runAction(run, notion.actions.moveCard, { pageId: ctx.cardPageId, status }, name);
    // Our own move: the webhook echo of it must not be mirrored back to HubSpot.
    await recordStep(run, `${name}.written`, async () => {
      await markNotionStatusWritten(run.env.DB, run.journeyId, status);
      return null;
    });
    return {};
  },

  async "hubspot.update-deal"(run, name, step, ctx) {
    // The status and the `properties` lines go out in one PATCH.
    const properties: Partial<Record<ClientflowDealProperty, string>> = step.inputs.status
      ? { clientflow_status: text(step, "status", ctx) }
      : {};
    for (const line of parseDealProperties(String(step.inputs.properties ?? "")).lines)
      properties[line.name] = renderProcessText(line.value, ctx.data, ctx.outputs);
    if (Object.keys(properties).length > 0)
      await runAction(run, hubspot.actions.updateDeal, { dealId: ctx.deal.dealId, properties }, name);
    const stage = step.inputs.stage ? text(step, "stage", ctx).trim() : "";
    if (stage) {
      await runAction(run, hubspot.actions.updateDealStage, { dealId: ctx.deal.dealId, stage }, `${name}.stage`);
      // Our own stage write: HubSpot's webhook echo of it must not move the card.
      await recordStep(run, `${name}.stage-written`, async () => {
        await markHubspotStageWritten(run.env.DB, run.journeyId, stage);
        return null;
      });
    }
    return {};
  },

  async "contract.send"(run, name, step, ctx) {
    const rendered = renderContract({
      data: ctx.data,
      lineItems: ctx.deal.lineItems.map(lineItemLabel),
      date: ctx.startedAt.toISOString().slice(0, 10),
      titleTemplate: String(step.inputs.title),
      template: step.inputs.body ? String(step.inputs.body) : undefined,
    });
    const contract = await recordStep(run, name, async () => {
      const made = await ensureContract(run.env, {
        workspaceId: run.workspaceId,
        journeyId: run.journeyId,
        ...rendered,
      });
      return { contractId: made.contractId, url: made.url };
    });
    if (ctx.data.agreement) ctx.data.agreement.url = contract.url;
    return contract;
  },

  async "survey.send"(run, name, step, ctx) {
    const question = text(step, "question", ctx);
    const survey = await recordStep(run, `${name}.create`, () =>
      ensureSurvey(run.env, { workspaceId: run.workspaceId, journeyId: run.journeyId, question }),
    );
    const body = `Hi ${String(ctx.data.client?.firstName)},\n\n${question} It takes a minute: ${survey.url}\n\n${ctx.settings.senderName}`;
    await sendProcessEmail(run, name, ctx, question, body);
    return { surveyId: survey.surveyId, url: survey.url };
  },

  async "calendar.create-event"(run, name, step, ctx) {
    const inDays = Number(step.inputs.inDays);
    const start = new Date(ctx.startedAt.getTime() + inDays * 86_400_000);
    start.setUTCHours(ctx.settings.meetingHourUtc, 0, 0, 0);
    const event = await runAction(
      run,
      google.actions.createEvent,
      {
        title: text(step, "title", ctx),
        description: step.inputs.description ? text(step, "description", ctx) : "",
        start: start.toISOString(),
        durationMinutes: typeof step.inputs.durationMinutes === "number" ? step.inputs.durationMinutes : 45,
        attendee: { email: ctx.deal.contact.email, name: clientName(ctx.deal) },
      },
      name,
    );
    return { eventId: event.eventId, url: event.url };
  },
};

/** Whether this version can run an action (checked when a journey starts). */
export const canExecute = (action: ActionName) => EXECUTORS[action] !== undefined;

/** Runs a template step through its executor; an action without one fails the step clearly. */
export async function executeStep(run: JourneyRun, name: string, step: ProcessStep, ctx: StepContext): Promise<Output> {
  const executor = EXECUTORS[step.action];
  if (!executor)
    throw new AppError("action_unavailable", `The action ${step.action} cannot run in this version of Clientflow`, 422);
  return executor(run, name, step, ctx);
}
