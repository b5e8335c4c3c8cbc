import { hubspot } from "../../integrations/hubspot";
import { holdingStep, StepBlockedError } from "../runtime/hold-step";
import { type JourneyRun, recordStep, runAction, StepSkippedError } from "../runtime/run-step";
import { settleWaitingStep } from "../store/journey-steps";
import type { ProcessEvent } from "./action-catalog";
import { canExecute, type StepContext } from "./step-executors";
import type { ProcessPhase } from "./template-schema";

/** The row the engine opens when a journey stops on an error no step held (journey-workflow.ts). */
export const JOURNEY_STOPPED = "journey.stopped";

/**
 * The deal's Clientflow status as each phase starts, in the words an owner
 * reads in HubSpot (fixed per phase, so reports keep working when a phase is
 * renamed). The lead phase has no deal to write to yet.
 */
export const PHASE_STATUS = {
  lead: null,
  onboarding: "Onboarding",
  fulfillment: "In progress",
  offboarding: "Off-boarding",
  follow_up: "Follow-up",
} as const satisfies Record<ProcessPhase["id"], string | null>;

/**
 * The step that carries a phase's status in its own PATCH: the phase's first
 * `hubspot.update-deal` step, when nothing before it in the phase can wait
 * (every trigger runs right after the previous step or is the journey's own
 * start event, no approval gate) and it runs for sure (no condition, not
 * skipped at the action check). Writing the status at the phase's start too
 * would be a second PATCH a few seconds apart. Decided from the pinned
 * template, the immutable params and a recorded step result only, so a replay
 * decides the same (docs/architecture.md, "Changing a Workflow while journeys run").
 */
export function writebackCarrier(
  phase: ProcessPhase,
  startedBy: ProcessEvent | null,
  unavailable: ReadonlySet<string>,
): string | null {
  for (const step of phase.steps) {
    const t = step.trigger;
    const immediate =
      t.type === "after_previous" || t.type === "after" || (t.type === "event" && t.event === startedBy);
    if (!immediate || step.approval) return null;
    if (step.action !== "hubspot.update-deal") continue;
    const name = `${phase.id}.${step.id}`;
    return step.condition || unavailable.has(name) ? null : name;
  }
  return null;
}

/**
 * The template-level writeback (`writeback: true`): the deal's
 * `clientflow_status` becomes the phase's status, as its own durable step
 * `phase.<phase>.writeback` (a name no template step can take: step ids have
 * no dots), or, when a deal update of the phase falls together with the
 * phase's start (`writebackCarrier`), in that step's PATCH (`ctx.carriedStatus`;
 * the step's own status wins). A failure holds the journey like any action;
 * skipping it goes on.
 */
export async function writePhaseStatus(
  run: JourneyRun,
  phase: ProcessPhase,
  ctx: StepContext,
  start: { startedBy: ProcessEvent | null; unavailable: ReadonlySet<string> },
): Promise<void> {
  const status = PHASE_STATUS[phase.id];
  if (!status || !ctx.deal.dealId) return;
  const carrier = writebackCarrier(phase, start.startedBy, start.unavailable);
  if (carrier) {
    ctx.carriedStatus = { step: carrier, status };
    return;
  }
  await writeStatusStep(run, phase.id, ctx.deal.dealId, status);
}

async function writeStatusStep(run: JourneyRun, phase: string, dealId: string, status: string): Promise<void> {
  try {
    await runAction(
      run,
      hubspot.actions.updateDeal,
      { dealId, properties: { clientflow_status: status } },
      `phase.${phase}.writeback`,
    );
  } catch (error) {
    if (!(error instanceof StepSkippedError)) throw error;
  }
}

/**
 * The owner skipped the step that was to carry its phase's status (held,
 * then skipped): the status is written on its own after all, under the
 * phase's `phase.<phase>.writeback` step, which the carrier had left unused.
 */
export async function writeSkippedCarrier(run: JourneyRun, name: string, ctx: StepContext): Promise<void> {
  const carried = ctx.carriedStatus;
  if (carried?.step !== name || !ctx.deal.dealId) return;
  await writeStatusStep(run, name.slice(0, name.indexOf(".")), ctx.deal.dealId, carried.status);
}

const unsupportedIn = (phases: ProcessPhase[]) =>
  phases.flatMap((p) => p.steps.filter((s) => !canExecute(s.action)).map((s) => ({ name: `${p.id}.${s.id}`, s })));

/**
 * Checks that this version can run every step's action. When it cannot, the
 * journey holds at `process.check-actions` with the steps named: retry checks
 * again (after a deploy that brings the action), skip goes on without them.
 * Returns the steps to skip, as recorded when the owner skipped (replays agree).
 */
export async function checkActions(run: JourneyRun, phases: ProcessPhase[]): Promise<Set<string>> {
  if (unsupportedIn(phases).length === 0) return new Set();
  try {
    await holdingStep(run, "process.check-actions", async () => {
      const missing = unsupportedIn(phases).map(({ name, s }) => `${name} (${s.action})`);
      if (missing.length) throw new StepBlockedError(`This version cannot run: ${missing.join(", ")}`);
      return null;
    });
    return new Set();
  } catch (error) {
    if (!(error instanceof StepSkippedError)) throw error;
    const skipped = await recordStep(run, "process.check-actions.skipped", async () =>
      unsupportedIn(phases).map(({ name }) => name),
    );
    return new Set(skipped);
  }
}

/**
 * When the process step `name` was done (ISO): what delays counted from the previous step start from. When the
 * last action the step ran was recorded under its own name, that action's durable step already keeps the time
 * (`JourneyRun.lastAction`) and its row is settled: no step of its own. Otherwise (an executor whose last action
 * ran under another name, or one without a provider call) `<name>.done-at` settles the step's row, left waiting,
 * and keeps the time. Both come from recorded step results, so a replay decides the same; a journey whose action
 * step was cached before the time was kept has its `.done-at` step, and replays it.
 */
export async function doneAt(run: JourneyRun, name: string, output: unknown): Promise<string> {
  const last = run.lastAction;
  if (last?.name === name && last.at !== undefined) return last.at;
  return recordStep(run, `${name}.done-at`, async () => {
    if (!run.recorded?.has(name)) await settleWaitingStep(run.env.DB, run.journeyId, name, output ?? null);
    return new Date().toISOString();
  });
}
