import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import { notion } from "../../integrations/notion";
import { performStepAction } from "../connections/action-context";
import { sha256Hex } from "../crypto/encoding";
import { renderEmail, workspaceBranding } from "../email/render";
import { onDealCreated } from "../engine/repurchase";
import type { AppEnv } from "../env";
import { syncStageFromHubspot } from "../fulfillment/sync-actions";
import { leadFromHubspot } from "../leads/hubspot-lead";
import { createOnce } from "../runtime/platform";
import { type JourneyRun, recordStep, runAction } from "../runtime/run-step";
import { workspaceSettingsSchema } from "../settings/workspace-settings";
import { recordSurveyOnCard, recordSurveyOnDeal } from "../surveys/record-survey";
import { undoJourney } from "./cancel-journey";
import type { FollowUpTask, TaskParams } from "./task-params";

/** The colours of a task started before emails were branded: the settings' defaults. */
const DEFAULT_SETTINGS = workspaceSettingsSchema.parse({});

async function runTask(run: JourneyRun, params: TaskParams, task: FollowUpTask): Promise<string> {
  const { fromName } = params;
  switch (task.kind) {
    // Workspace-level work (no journey timeline yet): plain retried steps.
    case "deal-created":
      return recordStep(run, task.step, () => onDealCreated(run.env, run.workspaceId, task.dealId));
    case "undo-journey":
      return undoJourney(run, task.step);
    // No journey, so no timeline row: a plain retried step. Each re-run carries its attempt, so the send
    // looks in Sent mail first when it may (google.send-email); a send whose answer was lost is not repeated.
    case "owner-email":
      return run.step.do(
        task.step,
        { retries: { limit: 3, delay: "10 seconds", backoff: "exponential" }, timeout: "5 minutes" },
        async (ctx) => {
          const branding = params.branding ?? workspaceBranding(fromName, DEFAULT_SETTINGS);
          const email = renderEmail({
            subject: task.subject,
            body: task.text,
            branding,
            sections: task.sections,
            closing: task.closing,
          });
          const identity = {
            workspaceId: run.workspaceId,
            journeyId: "",
            idempotencyKey: `${run.workspaceId}:${task.step}`,
            attempt: `r0a${ctx.attempt}`,
          };
          const input = { to: task.to, fromName, ...email };
          return (await performStepAction(run.env, google.actions.sendEmail, identity, input)).messageId;
        },
      );
    case "contact-created":
      return recordStep(run, task.step, () => leadFromHubspot(run.env, run.workspaceId, task.contactId, null));
    case "email": {
      const branding = params.branding ?? workspaceBranding(fromName, DEFAULT_SETTINGS);
      const email = renderEmail({ subject: task.subject, body: task.text, branding });
      const sent = await runAction(
        run,
        google.actions.sendEmail,
        { to: task.to, fromName, ...email },
        task.step,
        task.label,
      );
      return sent.messageId;
    }
    case "sync-hubspot-stage": {
      const result = await runAction(run, syncStageFromHubspot, task, task.step, task.label);
      return result.outcome;
    }
    case "update-deal": {
      const { dealId } = task;
      if (task.status)
        await runAction(
          run,
          hubspot.actions.updateDeal,
          { dealId, properties: { clientflow_status: task.status } },
          `${task.step}.status`,
          task.label,
        );
      if (task.stage)
        await runAction(
          run,
          hubspot.actions.updateDealStage,
          { dealId, stage: task.stage },
          `${task.step}.stage`,
          task.label,
        );
      return "updated";
    }
    case "flag-card": {
      const { pageId, flagId, text } = task;
      const flagged = await runAction(run, notion.actions.flagCard, { pageId, flagId, text }, task.step, task.label);
      return flagged.created ? "flagged" : "already flagged";
    }
    case "record-survey": {
      if (task.dealId)
        await runAction(
          run,
          recordSurveyOnDeal,
          { dealId: task.dealId, surveyId: task.surveyId },
          `${task.step}.hubspot`,
          `${task.label} — HubSpot`,
        );
      if (task.pageId)
        await runAction(
          run,
          recordSurveyOnCard,
          { pageId: task.pageId, surveyId: task.surveyId },
          `${task.step}.notion`,
          `${task.label} — Notion`,
        );
      return "recorded";
    }
  }
}

/**
 * Runs a few follow-up tasks durably (each its own retried step): emails,
 * a HubSpot→Notion stage sync, recording a survey answer. Webhook receivers
 * and hosted pages start it with an instance id derived from the event, so a
 * redelivery cannot do the work twice.
 */
export class TaskWorkflow extends WorkflowEntrypoint<AppEnv, TaskParams> {
  override async run(event: WorkflowEvent<TaskParams>, step: WorkflowStep) {
    const { workspaceId, journeyId, tasks } = event.payload;
    const run: JourneyRun = { env: this.env, step, workspaceId, journeyId: journeyId ?? "" };
    const done: string[] = [];
    for (const task of tasks) done.push(await runTask(run, event.payload, task));
    return { done };
  }
}

/** The TaskWorkflow instance id of the tasks started under `key` in a workspace. */
export async function taskInstanceId(workspaceId: string, key: string): Promise<string> {
  return `task-${(await sha256Hex(`${workspaceId}:${key}`)).slice(0, 32)}`;
}

/** Starts the tasks once per `key` (an event id): a second start is a no-op. */
export async function startTasks(env: AppEnv, key: string, params: TaskParams): Promise<void> {
  await createOnce(env.TASKS, { id: await taskInstanceId(params.workspaceId, key), params });
}
