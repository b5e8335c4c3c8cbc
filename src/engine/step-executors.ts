import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import type { ClientflowDealProperty } from "../../integrations/hubspot/actions/update-deal";
import { notion } from "../../integrations/notion";
import { renderEmail } from "../email/render";
import { AppError } from "../errors";
import { type JourneyRun, recordStep, runAction } from "../runtime/run-step";
import { markFinished } from "../runtime/step-rows";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { recordJourneyCard } from "../store/journey-cards";
import { markHubspotStageWritten, markNotionStatusWritten } from "../store/sync-state";
import { ensureSurvey } from "../surveys/surveys";
import { isUnsubscribed, listUnsubscribeHeaders } from "../unsubscribe/links";
import type { ActionName } from "./action-catalog";
import { parseDealProperties } from "./deal-properties";
import { LEAD_EXECUTORS, type LeadFacts } from "./lead-executors";
import { brandingOf, clientName, renderProcessText, type StepOutputs } from "./merge-context";
import type { MergeData } from "./merge-fields";
import { assertInvoiceFilled, renderOrHold } from "./merge-holds";
import { createInvoiceStep, sendContractStep } from "./money-executors";
import { sendClientEmail } from "./send-client-email";
import type { ProcessStep, ProcessTemplate } from "./template-schema";

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
  /** The journey's pinned template (the agreement states the payments of its invoice steps). */
  template?: ProcessTemplate;
  /** The lead the journey started from, while it is in its lead phase (its deal snapshot has no deal yet). */
  lead?: LeadFacts;
  /** A phase status the named deal-update step writes in its own PATCH (engine-steps.ts `writePhaseStatus`). */
  carriedStatus?: { step: string; status: string };
  /**
   * The card's status as this journey's previous step wrote it (recorded in
   * that step's result); the engine clears it after every trigger, so it is
   * known only to the next step's trigger, before anything could wait.
   */
  cardWritten?: string | null;
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
  const branding = brandingOf(ctx);
  const email = renderEmail({ subject, body, branding });
  const sent = await runAction(
    run,
    sendClientEmail,
    { to, fromName: ctx.settings.senderName, ...email, headers, branding },
    name,
  );
  return { messageId: sent.messageId } as Output;
}

const EXECUTORS: Partial<Record<ActionName, Executor>> = {
  ...LEAD_EXECUTORS,

  async "gmail.send-email"(run, name, step, ctx) {
    // A field the journey cannot fill (a skipped step's link) holds this email, nothing sent (executeStep).
    const email = { subject: text(step, "subject", ctx, true), body: text(step, "body", ctx, true) };
    return sendProcessEmail(run, name, ctx, email.subject, email.body, step.inputs.marketing === true);
  },

  "stripe.create-invoice": createInvoiceStep,

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
    // The status comes back as the step's result: journeys that recorded it (not null) know the card's status.
    ctx.cardWritten = await recordStep(run, `${name}.record-card`, async () => {
      await recordJourneyCard(run.env.DB, run.journeyId, card.pageId);
      await markNotionStatusWritten(run.env.DB, run.journeyId, text(step, "status", ctx));
      return card.created === false ? null : text(step, "status", ctx);
    });
    if (ctx.data.project) ctx.data.project.url = card.pageUrl;
    return { pageId: card.pageId, url: card.pageUrl };
  },

  async "notion.move-card"(run, name, step, ctx) {
    if (!ctx.cardPageId) throw new AppError("no_card", "There is no project card to move yet", 422);
    const status = text(step, "status", ctx);
    await runAction(run, notion.actions.moveCard, { pageId: ctx.cardPageId, status }, name);
    // Our own move: the webhook echo of it must not be mirrored back to HubSpot. The status comes back as
    // the step's result: journeys that recorded it (not null) know the card's status (wait-for-event.ts).
    ctx.cardWritten = await recordStep(run, `${name}.written`, async () => {
      await markNotionStatusWritten(run.env.DB, run.journeyId, status);
      return status;
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
    // The phase's status rides in this PATCH instead of one of its own (writePhaseStatus); the step's own wins.
    const carried = ctx.carriedStatus?.step === name ? ctx.carriedStatus.status : undefined;
    if (carried && properties.clientflow_status === undefined) properties.clientflow_status = carried;
    // Rendered before either write: a field that cannot be filled holds the step with nothing written.
    const stage = step.inputs.stage ? text(step, "stage", ctx).trim() : "";
    if (Object.keys(properties).length > 0)
      await runAction(run, hubspot.actions.updateDeal, { dealId: ctx.deal.dealId, properties }, name);
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

  "contract.send": sendContractStep,

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

/**
 * Runs a template step through its executor; an action without one fails
 * the step clearly. An unfilled merge field holds the step under
 * `<name>.merge-fields…`, for every action the names an email's hold already had.
 */
export async function executeStep(run: JourneyRun, name: string, step: ProcessStep, ctx: StepContext): Promise<Output> {
  const executor = EXECUTORS[step.action];
  if (!executor)
    throw new AppError("action_unavailable", `The action ${step.action} cannot run in this version of Clientflow`, 422);
  // A merge field the journey cannot fill (a skipped step's output, `{{invoice.*}}` after a skipped invoice)
  // holds this step at its row before its provider call, retry runs it again, skip goes on (merge-holds.ts).
  const texts = Object.values(step.inputs).filter((v): v is string => typeof v === "string");
  return renderOrHold(
    run,
    name,
    ctx,
    () => {
      assertInvoiceFilled(texts, ctx, step.id);
      return executor(run, name, step, ctx);
    },
    step.action === "gmail.send-email" ? "email" : "step",
  );
}
