import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { google } from "../../integrations/google";
import { googleConnectedEmail } from "../../integrations/google/auth";
import { hubspot } from "../../integrations/hubspot";
import type { AppEnv } from "../env";
import { type JourneyRun, recordStep, runAction, StepSkippedError, updateJourneyStep } from "../runtime/run-step";
import { markStepAwaiting, markStepFinished, settleWaitingStep } from "../store/journey-steps";
import { getTemplate, templateForPipeline } from "../store/process-templates";
import { getWorkspace } from "../store/workspaces";
import { unsubscribeUrl } from "../unsubscribe/links";
import { approvalToken } from "./approval-links";
import { applyLead, awaitDealWon, readLead } from "./lead-phase";
import { addDuration, conditionHolds, processMergeData, type StepOutputs } from "./merge-context";
import { escapeHtml } from "./merge-fields";
import { approvalEventType, type ProcessParams, REPURCHASE_EVENT } from "./process-params";
import { canExecute, executeStep, type StepContext, sendProcessEmail } from "./step-executors";
import type { ProcessStep, ProcessTemplate } from "./template-schema";
import { PHASES } from "./template-schema";
import { awaitProcessEvent } from "./wait-for-event";
import { clientName } from "./welcome-email";

const APPROVAL_TIMEOUT = "30 days";

/**
 * Interprets a process template for one journey: phase by phase, step by
 * step, each step waiting for its trigger (the previous step, an event with
 * reminders, a delay from a date, a fixed date), checking its condition and
 * approval gate, then running its action as durable steps named
 * `<phase>.<step>`. The journey runs the template version it started with.
 */
export class ProcessWorkflow extends WorkflowEntrypoint<AppEnv, ProcessParams> {
  override async run(event: WorkflowEvent<ProcessParams>, step: WorkflowStep) {
    const params = event.payload;
    // A step that fails for good holds the journey for the owner (retry or skip) instead of ending it.
    const run: JourneyRun = {
      env: this.env,
      step,
      workspaceId: params.workspaceId,
      journeyId: params.journeyId,
      holdOnFailure: true,
    };
    try {
      return await runProcess(run, params, event.timestamp);
    } catch (error) {
      // The engine stopping the run (the owner paused or cancelled it) is not a failure.
      if (error instanceof Error && /^Aborting engine/.test(error.message)) throw error;
      await recordStep(run, "journey.mark-failed", async () => {
        await this.env.DB.prepare(
          `UPDATE journeys SET status = 'failed', paused_for = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
           WHERE id = ? AND status NOT IN ('cancelled') AND NOT (status = 'paused' AND paused_for = 'owner')`,
        )
          .bind(params.journeyId)
          .run();
        return null;
      });
      throw error;
    }
  }
}

type ProcessOutcome = { status: "complete" } | { status: "repurchased"; phase: string; step: string };

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
  const setup = await recordStep(run, "process.load", async () => {
    const workspace = await getWorkspace(env.DB, run.workspaceId);
    const chosen = params.templateVersion
      ? await getTemplate(env.DB, run.workspaceId, params.templateVersion, params.templateId)
      : await templateForPipeline(env.DB, run.workspaceId, deal.pipeline);
    await env.DB.prepare("UPDATE journeys SET template_id = ?, template_version = ? WHERE id = ?")
      .bind(chosen.templateId, chosen.version, journeyId)
      .run();
    return { name: workspace.name, settings: workspace.settings, template: JSON.stringify(chosen.template) };
  });
  const template = JSON.parse(setup.template) as ProcessTemplate;
  const phases = template.phases.filter((p) => PHASES.indexOf(p.id) >= PHASES.indexOf(params.startPhase));
  const unsupported = phases.flatMap((p) =>
    p.steps.filter((s) => !canExecute(s.action)).map((s) => `${p.id}.${s.id} (${s.action})`),
  );
  if (unsupported.length) {
    const message = `This version cannot run: ${unsupported.join(", ")}`;
    await recordStep(run, "process.check-actions", async () => {
      await markStepFinished(env.DB, journeyId, "process.check-actions", { status: "failed", error: message });
      return null;
    });
    throw new NonRetryableError(message);
  }

  await updateJourneyStep(run, "process.record-client", { contactId: deal.contact.id, clientName: clientName(deal) });
  const startDate = (deal.closeDate ?? startedAt.toISOString()).slice(0, 10);
  const dueDate = addDuration(new Date(`${startDate}T00:00:00Z`), { amount: setup.settings.deliveryDays, unit: "days" })
    .toISOString()
    .slice(0, 10);
  const unsubscribe = await unsubscribeUrl(env, env.PUBLIC_URL, run.workspaceId, deal.contact.email);
  const ctx: StepContext = {
    statusOrder: statusOrder(template),
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
    await updateJourneyStep(run, `phase.${phase.id}`, { phase: phase.id, status: "running" });
    for (const step of phase.steps) {
      const name = `${phase.id}.${step.id}`;
      let outcome: Awaited<ReturnType<typeof awaitTrigger>> | "approval-skipped";
      try {
        outcome = await awaitTrigger(run, name, step, ctx, params, anchors);
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
        await recordStep(run, `${name}.skipped-by-owner`, async () => {
          await markStepFinished(env.DB, journeyId, name, { status: "succeeded", result: { skipped: "by owner" } });
          return null;
        });
        ctx.outputs[step.id] = { skipped: "by owner" };
        continue;
      }
      if (outcome === "passed") {
        await recordStep(run, `${name}.skipped`, async () => {
          await markStepFinished(env.DB, journeyId, name, {
            status: "succeeded",
            result: { skipped: "status passed" },
          });
          return null;
        });
        continue;
      }
      if (outcome === "repurchased") {
        await updateJourneyStep(run, "journey.repurchased", { status: "complete" });
        return { status: "repurchased" as const, phase: phase.id, step: step.id };
      }
      if (!conditionHolds(step.condition, deal)) {
        await recordStep(run, `${name}.skipped`, async () => {
          await markStepFinished(env.DB, journeyId, name, {
            status: "succeeded",
            result: { skipped: "condition not met" },
          });
          return null;
        });
        continue;
      }
      anchors.previous = new Date(
        await recordStep(run, `${name}.done-at`, async () => {
          // An executor whose action ran under another name leaves the step's own row waiting.
          await settleWaitingStep(env.DB, journeyId, name, ctx.outputs[step.id] ?? null);
          return new Date().toISOString();
        }),
      );
    }
    if (phase.id === "offboarding") anchors.end = anchors.previous ?? startedAt;
  }
  await updateJourneyStep(run, "journey.complete", { status: "complete" });
  return { status: "complete" as const };
}

/**
 * Card statuses in the order the template moves through them: the card's
 * first status, then every move and every status a step waits for.
 */
function statusOrder(template: ProcessTemplate): string[] {
  const order: string[] = [];
  for (const step of template.phases.flatMap((p) => p.steps)) {
    const moved =
      step.action === "notion.create-project-card" || step.action === "notion.move-card"
        ? step.inputs.status
        : undefined;
    const awaited = step.trigger.type === "event" ? step.trigger.status : undefined;
    for (const status of [moved, awaited])
      if (typeof status === "string" && !order.includes(status)) order.push(status);
  }
  return order;
}

/**
 * Waits until the step may run; "repurchased" when a follow-up wait is ended
 * by a new deal, "skipped" when the owner skipped the waiting step.
 */
async function awaitTrigger(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: StepContext,
  params: ProcessParams,
  anchors: Record<string, Date>,
): Promise<"run" | "repurchased" | "passed" | "skipped"> {
  const trigger = step.trigger;
  if (trigger.type === "after_previous" || trigger.type === "after") return "run";
  if (trigger.type === "event") {
    if (trigger.event === params.startedBy) return "run";
    await recordStep(run, `${name}.expect`, async () => {
      await markStepAwaiting(run.env.DB, run.journeyId, name, { waitingFor: trigger.event });
      return null;
    });
    const received = await awaitProcessEvent(run, name, step, ctx, (reminder, n) =>
      // A reminder the owner skipped after it failed is just not sent.
      skippable(sendProcessEmail(run, `${name}.reminder-${n}`, ctx, reminder.subject, reminder.body)),
    );
    if (received === "passed") return "passed";
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
    if (ms >= 1000)
      await markStepAwaiting(run.env.DB, run.journeyId, name, { waitingFor: null, dueAt: until.toISOString() });
    return ms;
  });
  if (waitMs < 1000) return "run";
  // A durable wait that a repurchase ends early (follow-up stops when the client buys again);
  // the owner skipping the step sends the same event naming the step.
  let received: { payload: Record<string, string | null> };
  try {
    received = await run.step.waitForEvent<Record<string, string | null>>(`${name}.delay`, {
      type: REPURCHASE_EVENT,
      timeout: waitMs,
    });
  } catch {
    return "run";
  }
  const skipped = received.payload?.skip;
  if (skipped === name) return "skipped";
  return skipped ? "run" : "repurchased";
}

/** An action whose failure the owner skipped resolves to null instead of skipping the whole step. */
async function skippable<T>(action: Promise<T>): Promise<T | null> {
  try {
    return await action;
  } catch (error) {
    if (error instanceof StepSkippedError) return null;
    throw error;
  }
}

/**
 * Holds the step until the owner approves it (from the dashboard, or the link
 * emailed to them) or skips it from the dashboard.
 */
async function awaitApproval(run: JourneyRun, name: string, ctx: StepContext): Promise<"approved" | "skip"> {
  await updateJourneyStep(run, `${name}.await-approval`, { status: "waiting" }, () =>
    markStepAwaiting(run.env.DB, run.journeyId, name, { waitingFor: "approval" }),
  );
  const link = await recordStep(run, `${name}.approval-link`, async () => {
    const token = await approvalToken(run.env, run.journeyId, name, Date.now());
    return `${(run.env.PUBLIC_URL ?? "").replace(/\/$/, "")}/a/${token}`;
  });
  const owner = await recordStep(run, `${name}.owner-address`, () => googleConnectedEmail(run.env, run.workspaceId));
  // The request email is a courtesy: skipped after a failure, the dashboard still approves.
  await skippable(
    runAction(
      run,
      google.actions.sendEmail,
      {
        to: { name: ctx.settings.senderName, email: owner },
        fromName: "Clientflow",
        subject: `Approve: ${name} for ${clientName(ctx.deal)}`,
        text: `The step ${name} for ${clientName(ctx.deal)} (${ctx.deal.name}) is waiting for your approval.\n\nApprove it here: ${link}`,
        html: `<p>The step <strong>${escapeHtml(name)}</strong> for ${escapeHtml(clientName(ctx.deal))} (${escapeHtml(ctx.deal.name)}) is waiting for your approval.</p><p><a href="${escapeHtml(link)}">Approve it</a></p>`,
      },
      `${name}.approval-request`,
    ),
  );
  let decision: { payload: Record<string, string | boolean | null> };
  try {
    decision = await run.step.waitForEvent<Record<string, string | boolean | null>>(`${name}.approval`, {
      type: approvalEventType(name),
      timeout: APPROVAL_TIMEOUT,
    });
  } catch {
    throw new NonRetryableError(`${name}: not approved within ${APPROVAL_TIMEOUT}`);
  }
  await updateJourneyStep(run, `${name}.approved`, { status: "running" });
  return decision.payload?.skip === true ? "skip" : "approved";
}
