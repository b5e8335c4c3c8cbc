import { hubspotPortalId } from "../../../integrations/hubspot/auth";
import { connectionContext } from "../../connections/action-context";
import type { ProcessEvent } from "../../engine/action-catalog";
import type { AppEnv } from "../../env";
import { log } from "../../log";
import { isSkippableEvent } from "../../runtime/protocol";
import { type JourneyStep, listOpenSteps, listSteps } from "../../store/journey-steps";
import { findJourney, type Journey, type JourneyStatus, listJourneysByStatus } from "../../store/journeys";
import { sandboxProviders } from "../sandbox/mode";
import { type ExplainedError, explainError } from "./explain-error";
import { journeyStepLabelers, type StepLabeler } from "./step-labels";
import { journeyHubspotLinks, type LinkContext, type StepLink, stepLinks } from "./step-links";

/** The list filters: each names the journey statuses it shows. */
export const FILTERS = {
  all: null,
  waiting: ["running", "waiting", "unpaid"],
  failed: ["failed"],
  paused: ["paused"],
  done: ["complete", "cancelled"],
} as const satisfies Record<string, readonly JourneyStatus[] | null>;
export type JourneyFilter = keyof typeof FILTERS;

export type JourneyAction = "pause" | "resume" | "cancel";
export type StepAction = "retry" | "skip" | "approve";

/** The step a journey is at, and when it is due or what it waits for. */
export interface NextStep {
  step: string;
  /** The step in the template's words ("Invoice the deposit"); the raw name when unknown. */
  stepLabel: string;
  status: JourneyStep["status"];
  dueAt: string | null;
  waitingFor: string | null;
  /** In words: "waiting for the invoice to be paid", "running now", … */
  label: string;
}

export interface JourneySummary {
  id: string;
  clientName: string | null;
  dealId: string;
  /** The HubSpot deal; null while a lead's journey has none yet. */
  dealUrl: string | null;
  /** The HubSpot contact, once known. */
  contactUrl: string | null;
  phase: Journey["phase"];
  status: JourneyStatus;
  workflow: Journey["workflow"];
  pausedFor: string | null;
  next: NextStep | null;
  actions: JourneyAction[];
  createdAt: string;
  updatedAt: string;
}

export interface StepView {
  name: string;
  /** The step in the template's words ("Invoice the deposit — Stripe customer"); the raw name when unknown. */
  label: string;
  /** The template phase's name the step belongs to ("Onboarding"), null for the engine's own steps. */
  phase: string | null;
  status: JourneyStep["status"];
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  dueAt: string | null;
  waitingFor: string | null;
  result: unknown;
  links: StepLink[];
  error: ExplainedError | null;
  actions: StepAction[];
}

/** The latest failure of a journey, with the step it happened in. */
export interface LastError extends ExplainedError {
  step: string;
  label: string;
}

const EVENT_WORDS: Record<ProcessEvent, string> = {
  "hubspot.deal.won": "the deal to be won",
  "contract.signed": "the agreement to be signed",
  "stripe.invoice.paid": "the invoice to be paid",
  "stripe.invoice.payment_failed": "a failed payment",
  "notion.project.status_changed": "the card to move in Notion",
  "survey.answered": "the survey answer",
};

/** What a waiting step waits for, in words. */
export function waitingWords(waitingFor: string | null): string {
  if (waitingFor === "approval") return "your approval";
  if (waitingFor === "operator") return "your decision (retry or skip)";
  if (waitingFor && waitingFor in EVENT_WORDS) return EVENT_WORDS[waitingFor as ProcessEvent];
  return waitingFor ?? "an event";
}

/** Steps that cannot be skipped: everything after them needs their result. */
const UNSKIPPABLE = new Set(["process.read-deal", "process.read-lead", "process.load", "hubspot.get-deal"]);

function nextLabel(step: Pick<JourneyStep, "status" | "dueAt" | "waitingFor">): string {
  if (step.status === "failed") return step.waitingFor === "operator" ? "failed: waiting for your decision" : "failed";
  if (step.status === "running") return "running now";
  if (step.dueAt && !step.waitingFor) return "scheduled";
  return `waiting for ${waitingWords(step.waitingFor)}`;
}

const RANK: Record<string, number> = { failed: 3, waiting: 2, running: 1 };

const storedLabel: StepLabeler = ({ name, label }) => ({ label: label ?? name, phase: null });

/** The step a journey is at: a held failure first, then a waiting step, then a running one (latest first). */
export function pickNext<S extends JourneyStep & { updatedAt?: string }>(
  journey: Journey,
  steps: S[],
  labeler: StepLabeler = storedLabel,
): NextStep | null {
  const final = journey.status === "complete" || journey.status === "cancelled";
  const open = steps.filter(
    (s) => !final && (s.status !== "failed" || journey.status === "failed") && s.status in RANK,
  );
  open.sort(
    (a, b) =>
      (RANK[b.status] ?? 0) - (RANK[a.status] ?? 0) ||
      Number(b.waitingFor === "operator") - Number(a.waitingFor === "operator") ||
      (b.updatedAt ?? b.startedAt).localeCompare(a.updatedAt ?? a.startedAt),
  );
  const top = open[0];
  if (!top) return null;
  return {
    step: top.name,
    stepLabel: labeler(top).label,
    status: top.status,
    dueAt: top.dueAt,
    waitingFor: top.waitingFor,
    label: nextLabel(top),
  };
}

/** The journey-level actions valid in its state. */
export function journeyActions(journey: Journey): JourneyAction[] {
  const actions: JourneyAction[] = [];
  const pausable = journey.status === "running" || journey.status === "waiting";
  if (pausable) actions.push("pause");
  if (journey.status === "paused" && journey.pausedFor?.startsWith("owner")) actions.push("resume");
  if (journey.status !== "complete" && journey.status !== "cancelled") actions.push("cancel");
  return actions;
}

/** The step actions valid in the journey's and the step's state. */
export function stepActions(journey: Journey, step: Pick<JourneyStep, "name" | "status" | "waitingFor" | "dueAt">) {
  const actions: StepAction[] = [];
  if (journey.status === "paused") return actions;
  const held = step.status === "failed" && step.waitingFor === "operator" && journey.status === "failed";
  if (held) actions.push("retry");
  const waiting = step.status === "waiting" && (journey.status === "waiting" || journey.status === "running");
  if (waiting && step.waitingFor === "approval") actions.push("approve");
  const skippableWait =
    waiting &&
    (step.waitingFor === "approval" || isSkippableEvent(step.waitingFor) || (!step.waitingFor && step.dueAt));
  if ((held || skippableWait) && !UNSKIPPABLE.has(step.name)) actions.push("skip");
  return actions;
}

/** Link context for a workspace: its HubSpot portal and whether Gmail is the sandbox's. */
export async function linkContext(env: AppEnv, workspaceId: string): Promise<LinkContext> {
  let portalId: string | null = null;
  try {
    portalId = hubspotPortalId(await connectionContext(env, workspaceId, "hubspot")) ?? null;
  } catch (error) {
    // No HubSpot connection (yet): links still work, with HubSpot's "portal 0" form.
    log.info("no hubspot portal for links", { tenant: workspaceId, reason: String(error) });
  }
  return { hubspotAppBase: env.HUBSPOT_APP_BASE, portalId, sandboxMail: sandboxProviders(env).has("google") };
}

function summarize(
  journey: Journey,
  steps: Array<JourneyStep & { updatedAt?: string }>,
  links: LinkContext,
  labeler: StepLabeler,
) {
  return {
    id: journey.id,
    clientName: journey.clientName,
    dealId: journey.dealId,
    ...journeyHubspotLinks(links, journey),
    phase: journey.phase,
    status: journey.status,
    workflow: journey.workflow,
    pausedFor: journey.pausedFor,
    next: pickNext(journey, steps, labeler),
    actions: journeyActions(journey),
    createdAt: journey.createdAt,
    updatedAt: journey.updatedAt,
  } satisfies JourneySummary;
}

/** The workspace's journeys under a filter, each with its next step. */
export async function listJourneyViews(env: AppEnv, workspaceId: string, filter: JourneyFilter) {
  const [journeys, open, links] = await Promise.all([
    listJourneysByStatus(env.DB, workspaceId, FILTERS[filter]),
    listOpenSteps(env.DB, workspaceId),
    linkContext(env, workspaceId),
  ]);
  const openOf = (id: string) => open.filter((s) => s.journeyId === id);
  // Only journeys with a next step need their template's words.
  const withNext = journeys.filter((j) => pickNext(j, openOf(j.id)) !== null).map((j) => j.id);
  const labelerOf = await journeyStepLabelers(env.DB, workspaceId, withNext);
  return journeys.map((j) => summarize(j, openOf(j.id), links, labelerOf(j.id)));
}

/** One journey of the workspace with its timeline, or null (also for another workspace's journey). */
export async function journeyView(env: AppEnv, workspaceId: string, journeyId: string) {
  const journey = await findJourney(env.DB, journeyId);
  if (!journey || journey.workspaceId !== workspaceId) return null;
  const [steps, links, labelerOf] = await Promise.all([
    listSteps(env.DB, journey.id),
    linkContext(env, workspaceId),
    journeyStepLabelers(env.DB, workspaceId, [journey.id]),
  ]);
  const labeler = labelerOf(journey.id);
  const timeline: StepView[] = steps.map((s) => ({
    name: s.name,
    ...labeler(s),
    status: s.status,
    attempts: s.attempts,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    dueAt: s.dueAt,
    waitingFor: s.waitingFor,
    result: s.result,
    links: stepLinks(s.result, links),
    error: s.status === "failed" && s.lastError ? explainError(s.lastError, s.name) : null,
    actions: stepActions(journey, s),
  }));
  const failed = [...timeline].reverse().find((s) => s.error);
  const lastError: LastError | null = failed?.error
    ? { ...failed.error, step: failed.name, label: failed.label }
    : null;
  return { journey: summarize(journey, steps, links, labeler), steps: timeline, lastError };
}
