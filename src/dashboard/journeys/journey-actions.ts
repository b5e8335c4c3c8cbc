import type { AppEnv } from "../../env";
import { AppError, NotFoundError } from "../../errors";
import { log } from "../../log";
import {
  approval,
  EVENT_SIGNALS,
  isSkippableEvent,
  operatorDecision,
  SignalPayloadError,
  sendSignal,
  skipDelay,
} from "../../runtime/protocol";
import { findStep, listSteps } from "../../store/journey-steps";
import { findJourney, type Journey, updateJourney } from "../../store/journeys";
import { startTasks } from "../../tasks/task-workflow";
import { type JourneyAction, journeyActions, type StepAction, stepActions } from "./journey-view";

const STEP_NAME = /^[a-z_]+\.[a-z0-9][a-z0-9.#_-]{0,100}$/;

/** The workspace's journey, or 404 (another workspace's journey is "not found" too). */
export async function ownedJourney(env: AppEnv, workspaceId: string, journeyId: string): Promise<Journey> {
  const journey = await findJourney(env.DB, journeyId);
  if (!journey || journey.workspaceId !== workspaceId) throw new NotFoundError("unknown_journey", "No such journey");
  return journey;
}

const conflict = (message: string) => new AppError("invalid_state", message, 409);

const STATE_WORDS: Record<Journey["status"], string> = {
  running: "running",
  waiting: "waiting",
  paused: "paused",
  complete: "complete",
  failed: "failed",
  unpaid: "ended unpaid",
  cancelled: "cancelled",
};

async function instanceOf(env: AppEnv, journey: Journey) {
  return env.JOURNEYS.get(journey.workflowInstanceId);
}

/**
 * Pauses, resumes or cancels a journey's Workflow instance and records the
 * new status. Refused (409) when the action is not valid in its state.
 */
export async function changeJourney(
  env: AppEnv,
  workspaceId: string,
  journeyId: string,
  action: JourneyAction,
): Promise<{ journeyId: string; action: JourneyAction; status: Journey["status"] }> {
  const journey = await ownedJourney(env, workspaceId, journeyId);
  if (!journeyActions(journey).includes(action)) {
    const why =
      action === "resume" && journey.status === "paused"
        ? `it waits for ${journey.pausedFor} to be reconnected: reconnect it on the Connections page`
        : `it is ${STATE_WORDS[journey.status]}`;
    throw conflict(`This journey cannot be ${action === "pause" ? "paused" : `${action}d`} now: ${why}`);
  }
  const tenant = { tenant: workspaceId, journeyId };
  // The status is written before the run stops, so a run that ends because of it is not recorded as failed.
  if (action === "cancel") {
    await updateJourney(env.DB, journey.id, { status: "cancelled" });
    try {
      await (await instanceOf(env, journey)).terminate();
    } catch (error) {
      // An instance that already ended has nothing to stop; the journey is still cancelled.
      log.warn("journey instance not terminated", { ...tenant, reason: String(error) });
    }
    await updateJourney(env.DB, journey.id, { status: "cancelled" });
    // Then what the journey did is undone durably (invoices, agreement, card), once per journey.
    await startTasks(env, `cancel:${journey.id}`, {
      workspaceId,
      journeyId: journey.id,
      fromName: "",
      tasks: [{ kind: "undo-journey", step: "cancel" }],
    });
    log.info("journey cancelled by owner", { ...tenant });
    return { journeyId: journey.id, action, status: "cancelled" };
  }
  const status = action === "pause" ? "paused" : await statusAfterResume(env, journey.id);
  await updateJourney(env.DB, journey.id, { status, pausedFor: action === "pause" ? "owner" : undefined });
  try {
    const instance = await instanceOf(env, journey);
    if (action === "pause") await instance.pause();
    else await instance.resume();
  } catch (error) {
    log.warn(`journey instance not ${action}d`, { ...tenant, reason: String(error) });
    await updateJourney(env.DB, journey.id, { status: journey.status, pausedFor: journey.pausedFor ?? undefined });
    throw conflict(`The journey could not be ${action === "pause" ? "paused" : "resumed"}: its run has ended`);
  }
  log.info(`journey ${action}d by owner`, { ...tenant });
  return { journeyId: journey.id, action, status };
}

/** A resumed journey is waiting when one of its steps waits, else running. */
async function statusAfterResume(env: AppEnv, journeyId: string): Promise<Journey["status"]> {
  const steps = await listSteps(env.DB, journeyId);
  return steps.some((s) => s.status === "waiting") ? "waiting" : "running";
}

/**
 * Retries, skips or approves a step by sending its Workflow the signal it
 * waits for: the owner's decision on a failed step, the approval (or a skip
 * of it), the awaited event marked as skipped, or the skip of a delay.
 */
export async function actOnStep(
  env: AppEnv,
  workspaceId: string,
  journeyId: string,
  stepName: string,
  action: StepAction,
  by: string,
): Promise<{ journeyId: string; step: string; action: StepAction; outcome: "signalled" }> {
  const journey = await ownedJourney(env, workspaceId, journeyId);
  const step = STEP_NAME.test(stepName) ? await findStep(env.DB, journey.id, stepName) : null;
  // Approval keeps its first contract: any well-formed step name may be approved while the journey waits.
  if (!step && !(action === "approve" && STEP_NAME.test(stepName)))
    throw new NotFoundError("unknown_step", "No such step");
  if (step && !stepActions(journey, step).includes(action)) throw conflict(refusal(journey, step, action));
  if (!step && !["waiting", "running"].includes(journey.status)) throw conflict(refusal(journey, null, action));
  // No row: an approval by name (above). A row waiting for nothing named is a delay (`waitingFor` null).
  const send = signalFor(journey, stepName, step ? step.waitingFor : "approval", step?.dueAt ?? null, action, by);
  try {
    await send(await instanceOf(env, journey));
  } catch (error) {
    if (error instanceof SignalPayloadError) throw error;
    log.warn("journey did not take the owner's decision", { tenant: workspaceId, journeyId, reason: String(error) });
    throw conflict("The journey's run has ended; it no longer takes decisions");
  }
  log.info("owner acted on a step", { tenant: workspaceId, journeyId, step: stepName, action });
  return { journeyId: journey.id, step: stepName, action, outcome: "signalled" };
}

/** The signal that carries the owner's decision to the step's wait, ready to send to the journey's instance. */
function signalFor(
  journey: Journey,
  name: string,
  waitingFor: string | null,
  dueAt: string | null,
  action: StepAction,
  by: string,
): (instance: WorkflowInstance) => Promise<void> {
  if (waitingFor === "operator")
    return (instance) =>
      sendSignal(instance, operatorDecision(name), { action: action === "skip" ? "skip" : "retry", by });
  if (waitingFor === "approval")
    return (instance) =>
      sendSignal(instance, approval(name), { step: name, by, ...(action === "skip" ? { skip: true } : {}) });
  if (isSkippableEvent(waitingFor))
    // The wait for an invoice takes only its own invoice's event.
    return (instance) =>
      sendSignal(instance, EVENT_SIGNALS[waitingFor], { skippedBy: "owner", invoiceId: journey.invoiceId ?? null });
  if (dueAt) return (instance) => sendSignal(instance, skipDelay(name), { by });
  throw conflict("This step cannot be skipped");
}

function refusal(journey: Journey, step: { status: string; waitingFor: string | null } | null, action: StepAction) {
  if (journey.status === "paused") return "The journey is paused: resume it first";
  if (!step) return `The journey is ${STATE_WORDS[journey.status]}; nothing waits for approval`;
  if (action === "retry") return "Only a failed step that waits for your decision can be retried";
  if (action === "approve") return "This step is not waiting for approval";
  if (step.waitingFor === "notion.project.status_changed")
    return "This step waits for the card to move in Notion: move the card there instead";
  return `This step cannot be skipped while it is ${step.status}`;
}
