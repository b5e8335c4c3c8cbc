import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import { connectedGoogleAddress } from "../connections/action-context";
import { renderEmail } from "../email/render";
import type { AppEnv } from "../env";
import { describeError } from "../log";
import { awaitDelay } from "../runtime/delay";
import { holdingStep } from "../runtime/hold-step";
import { isEngineAbort } from "../runtime/platform";
import { approval, waitForSignal } from "../runtime/protocol";
import { type JourneyRun, recordStep, runAction, StepSkippedError, updateJourneyStep } from "../runtime/run-step";
import { awaitingRow, markAwaiting, markFinished } from "../runtime/step-rows";
import { getWorkspace } from "../settings/workspaces";
import { markJourneyFailed, pinJourneyTemplate } from "../store/journeys";
import { unsubscribeUrl } from "../unsubscribe/links";
import { approvalUrl } from "./approval-links";
import { checkActions, doneAt, JOURNEY_STOPPED, writePhaseStatus, writeSkippedCarrier } from "./engine-steps";
import { applyLead, awaitDealWon, readLead } from "./lead-phase";
import {
  addDuration,
  brandingOf,
  clientName,
  conditionHolds,
  processMergeData,
  type StepOutputs,
} from "./merge-context";
import type { ProcessParams } from "./process-params";
import { holdForReversals, remindersStopped } from "./reversal-hold";
import { executeStep, type StepContext, sendProcessEmail } from "./step-executors";
import { processStepLabels } from "./step-labels";
import { skippable, takeTimeoutPath } from "./step-paths";
import type { ProcessStep, ProcessTemplate } from "./template-schema";
import { PHASES } from "./template-schema";
import { getTemplate, templateForPipeline } from "./templates";
import { awaitProcessEvent, statusOrder } from "./wait-for-event";

const APPROVAL_TIMEOUT = "30 days";

/**
 * Interprets a process template for one journey: phase by phase, step by
 * step, each step waiting for its trigger (the previous step, an event with
 * reminders, a delay from a date, a fixed date), checking its condition and
 * approval gate, then running its action as durable steps named
 * `<phase>.<step>`. The journey runs the template version it started with.
 */
export class JourneyWorkflow extends WorkflowEntrypoint<AppEnv, ProcessParams> {
  override async run(event: WorkflowEvent<ProcessParams>, step: WorkflowStep) {
    const params = event.payload;
    // A step that fails for good holds the journey for the owner (retry or skip) instead of ending it.
    const run: JourneyRun = {
      env: this.env,
      step,
      workspaceId: params.workspaceId,
      journeyId: params.journeyId,
      holdOnFailure: true,
      labels: processStepLabels(null),
      recorded: new Set(),
    };
    try {
      return await runProcess(run, params, event.timestamp);
    } catch (error) {
      // The engine stopping the run (the owner paused or cancelled it) is not a failure.
      if (isEngineAbort(error)) throw error;
      // Only an error no step held for the owner gets here: it, too, is a row with its reason.
      await recordStep(run, "journey.mark-failed", async () => {
        await markJourneyFailed(this.env.DB, params.journeyId);
        await markFinished(run, JOURNEY_STOPPED, { status: "failed", error: describeError(error) });
        return null;
      });
      throw error;
    }
  }
}

type ProcessOutcome = { status: "complete" } | { status: "repurchased" | "unpaid"; phase: string; step: string };

/** Runs the template from `params.startPhase`; a lead's journey goes on from its won deal with the lead's outputs. */
async function runProcess(
  run: JourneyRun,
  params: ProcessParams,
  startedAt: Date,
  earlier: StepOutputs = {},
): Promise<ProcessOutcome> {
  const { env, journeyId } = run;
  const lead = params.startPhase === "lead" ? await readLead(run, params) : null;
  const deal =
    lead?.deal ?? (await runAction(run, hubspot.actions.getDeal, { dealId: params.dealId }, "process.read-deal"));
  // The template for the deal's pipeline (else the default), pinned here: later edits do not change this journey.
  // A failure here (the store unreachable) holds the journey like a failed action; skipping is not offered.
  const setup = await holdingStep(run, "process.load", async () => {
    const workspace = await getWorkspace(env.DB, run.workspaceId);
    const chosen = params.templateVersion
      ? await getTemplate(env.DB, run.workspaceId, params.templateVersion, params.templateId)
      : await templateForPipeline(env.DB, run.workspaceId, deal.pipeline);
    await pinJourneyTemplate(env.DB, journeyId, chosen.templateId, chosen.version);
    return { name: workspace.name, settings: workspace.settings, template: JSON.stringify(chosen.template) };
  });
  const template = JSON.parse(setup.template) as ProcessTemplate;
  run.labels = processStepLabels(template);
  const phases = template.phases.filter((p) => PHASES.indexOf(p.id) >= PHASES.indexOf(params.startPhase));
  const unavailable = await checkActions(run, phases);

  await updateJourneyStep(run, "process.record-client", { contactId: deal.contact.id, clientName: clientName(deal) });
  const startDate = (deal.closeDate ?? startedAt.toISOString()).slice(0, 10);
  const dueDate = addDuration(new Date(`${startDate}T00:00:00Z`), { amount: setup.settings.deliveryDays, unit: "days" })
    .toISOString()
    .slice(0, 10);
  const unsubscribe = await unsubscribeUrl(env, run.workspaceId, deal.contact.email);
  const ctx: StepContext = {
    statusOrder: statusOrder(template),
    template,
    settings: setup.settings,
    deal,
    outputs: { ...earlier },
    startedAt,
    cardPageId: null,
    customerId: null,
    data: processMergeData({
      businessName: setup.name,
      settings: setup.settings,
      deal,
      project: { startDate, dueDate, url: "" },
      invoice: { url: "", number: "", amount: "", dueDate: "" },
      agreementUrl: setup.settings.agreementUrl,
      unsubscribeUrl: unsubscribe,
    }),
  };
  if (lead) applyLead(ctx, lead);
  const anchors: Record<string, Date> = { start: startedAt, previous: startedAt };

  for (const phase of phases) {
    if (lead && phase.id !== "lead") {
      // The lead is answered: the same journey waits for its deal to be won, then onboards it.
      const won = await awaitDealWon(run, ctx, params);
      return won ? runProcess(run, won.params, won.wonAt, ctx.outputs) : { status: "complete" };
    }
    // A money reversal whose rule holds the next phase (docs/reversals.md); nothing is open before the first.
    if (phase !== phases[0]) await holdForReversals(run, phase.id, template);
    await updateJourneyStep(run, `phase.${phase.id}`, { phase: phase.id, status: "running" });
    ctx.cardWritten = null;
    if (template.writeback === true)
      await writePhaseStatus(run, phase, ctx, { startedBy: params.startedBy, unavailable });
    for (const step of phase.steps) {
      const name = `${phase.id}.${step.id}`;
      run.lastAction = undefined;
      let outcome: Awaited<ReturnType<typeof awaitTrigger>> | "approval-skipped";
      try {
        // A step whose action this version cannot run, which the owner chose to skip at the check.
        if (unavailable.has(name)) throw new StepSkippedError(name);
        outcome = await awaitTrigger(run, name, step, ctx, params, anchors);
        // What the previous step wrote to the card is known only up to this trigger (it may have waited).
        ctx.cardWritten = null;
        if (outcome === "run" && conditionHolds(step.condition, deal) && step.approval) {
          if ((await awaitApproval(run, name, ctx)) === "skip") outcome = "approval-skipped";
        }
        if (outcome === "run" && conditionHolds(step.condition, deal)) {
          ctx.outputs[step.id] = await executeStep(run, name, step, ctx);
        }
      } catch (error) {
        // The owner skipped a failed action of this step (or its trigger's): the step is skipped as a whole.
        if (!(error instanceof StepSkippedError)) throw error;
        outcome = "skipped";
      }
      if (outcome === "skipped" || outcome === "approval-skipped") {
        await writeSkippedCarrier(run, name, ctx);
        await recordStep(run, `${name}.skipped-by-owner`, async () => {
          await markFinished(run, name, { status: "succeeded", result: { skipped: "by owner" } });
          return null;
        });
        ctx.outputs[step.id] = { skipped: "by owner" };
        continue;
      }
      if (outcome === "passed") {
        await recordStep(run, `${name}.skipped`, async () => {
          await markFinished(run, name, { status: "succeeded", result: { skipped: "status passed" } });
          return null;
        });
        continue;
      }
      if (outcome === "repurchased") {
        await updateJourneyStep(run, "journey.repurchased", { status: "complete" });
        return { status: "repurchased" as const, phase: phase.id, step: step.id };
      }
      if (outcome === "timed_out") {
        if ((await takeTimeoutPath(run, name, step, ctx)) === "skip") continue;
        await updateJourneyStep(run, "journey.unpaid", { status: "unpaid" });
        return { status: "unpaid" as const, phase: phase.id, step: step.id };
      }
      if (!conditionHolds(step.condition, deal)) {
        await recordStep(run, `${name}.skipped`, async () => {
          await markFinished(run, name, { status: "succeeded", result: { skipped: "condition not met" } });
          return null;
        });
        continue;
      }
      anchors.previous = new Date(await doneAt(run, name, ctx.outputs[step.id] ?? null));
    }
    if (phase.id === "offboarding") anchors.end = anchors.previous ?? startedAt;
  }
  await updateJourneyStep(run, "journey.complete", { status: "complete" });
  return { status: "complete" as const };
}

/**
 * Waits until the step may run; "repurchased" when a follow-up wait is ended
 * by a new deal, "skipped" when the owner skipped the waiting step,
 * "timed_out" when its event never came (the step's timeout path follows).
 */
async function awaitTrigger(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: StepContext,
  params: ProcessParams,
  anchors: Record<string, Date>,
): Promise<"run" | "repurchased" | "passed" | "skipped" | "timed_out"> {
  const trigger = step.trigger;
  if (trigger.type === "after_previous" || trigger.type === "after") return "run";
  if (trigger.type === "event") {
    if (trigger.event === params.startedBy) return "run";
    // `.await` says what the row waits for; a card's status is read before it, so that row says so first.
    if (trigger.event === "notion.project.status_changed") {
      await recordStep(run, `${name}.expect`, async () => {
        await markAwaiting(run, name, { waitingFor: trigger.event });
        return null;
      });
    }
    const received = await awaitProcessEvent(run, name, step, ctx, async (reminder, n) => {
      // Not sent while a money reversal stops reminders (docs/reversals.md).
      if (await remindersStopped(run, `${name}.reminder-${n}`, ctx.template)) return null;
      // A reminder the owner skipped after it failed is just not sent.
      return skippable(sendProcessEmail(run, `${name}.reminder-${n}`, ctx, reminder.subject, reminder.body));
    });
    if (received === "passed" || received === "timed_out") return received;
    if (received.skippedBy === "owner") return "skipped";
    // The payment date anchors delays counted "from payment".
    if (trigger.event === "stripe.invoice.paid") {
      const paidAt = typeof received.paidAt === "string" ? received.paidAt : null;
      anchors.payment = new Date(
        paidAt ?? (await recordStep(run, `${name}.paid-at`, async () => new Date().toISOString())),
      );
    }
    return "run";
  }
  const from = trigger.type === "date" ? null : (anchors[trigger.from] ?? anchors.previous ?? new Date(0));
  const until = trigger.type === "date" ? new Date(trigger.at) : addDuration(from ?? new Date(0), trigger.wait);
  const waitMs = await recordStep(run, `${name}.schedule`, async () => {
    const ms = Math.max(0, until.getTime() - Date.now());
    if (ms >= 1000) await markAwaiting(run, name, { waitingFor: null, dueAt: until.toISOString() });
    return ms;
  });
  if (waitMs < 1000) return "run";
  // A durable wait that the owner may skip and a repurchase ends early (follow-up stops when the client buys again).
  const ended = await awaitDelay(run.step, name, waitMs);
  return ended === "elapsed" ? "run" : ended;
}

/**
 * Holds the step until the owner approves it (from the dashboard, or the link
 * emailed to them) or skips it from the dashboard.
 */
async function awaitApproval(run: JourneyRun, name: string, ctx: StepContext): Promise<"approved" | "skip"> {
  await updateJourneyStep(run, `${name}.await-approval`, { status: "waiting" }, () => [
    awaitingRow(run, name, { waitingFor: "approval" }),
  ]);
  const link = await recordStep(run, `${name}.approval-link`, () => approvalUrl(run.env, run.journeyId, name));
  const owner = await recordStep(run, `${name}.owner-address`, () => connectedGoogleAddress(run.env, run.workspaceId));
  const request = `The step ${name} for ${clientName(ctx.deal)} (${ctx.deal.name}) is waiting for your approval.\n\nApprove it here: ${link}`;
  // The request email is a courtesy: skipped after a failure, the dashboard still approves.
  const email = renderEmail({
    subject: `Approve: ${name} for ${clientName(ctx.deal)}`,
    body: request,
    branding: brandingOf(ctx),
  });
  await skippable(
    runAction(
      run,
      google.actions.sendEmail,
      { to: { name: ctx.settings.senderName, email: owner }, fromName: "Clientflow", ...email },
      `${name}.approval-request`,
    ),
  );
  const decision = await waitForSignal(run.step, `${name}.approval`, approval(name), { timeout: APPROVAL_TIMEOUT });
  if (decision.timedOut) throw new NonRetryableError(`${name}: not approved within ${APPROVAL_TIMEOUT}`);
  await updateJourneyStep(run, `${name}.approved`, { status: "running" });
  return decision.payload.skip === true ? "skip" : "approved";
}
