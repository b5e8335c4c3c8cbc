import { PHASES, type ProcessTemplate } from "../../engine/template-schema";
import { defaultProcessTemplate } from "../../store/process-templates";

/** A durable step name (`onboarding.deposit-invoice.customer`) in the owner's words. */
export interface StepLabel {
  /** "Invoice the deposit — Stripe customer"; the raw name when nothing better is known. */
  label: string;
  /** The template phase's name ("Onboarding") for a phase's steps, else null (engine steps). */
  phase: string | null;
}

/** Resolves step names for one journey. */
export type StepLabeler = (name: string) => StepLabel;

type PhaseId = (typeof PHASES)[number];

const PHASE_WORDS: Record<PhaseId, string> = {
  lead: "Lead",
  onboarding: "Onboarding",
  fulfillment: "Fulfillment",
  offboarding: "Off-boarding",
  follow_up: "Follow-up",
};

/** A journey phase as the owner reads it (the built-in words, not a template's). */
export const phaseWords = (phase: string) => PHASE_WORDS[phase as PhaseId] ?? phase;

const isPhase = (id: string): id is PhaseId => (PHASES as readonly string[]).includes(id);

/** Names the engines write that are not a template step: the interpreter's (lead phase included), the fixed onboarding flow's. */
const ENGINE_STEPS: Record<string, string> = {
  // The process interpreter (src/engine/process-workflow.ts).
  "process.read-deal": "Read the deal from HubSpot",
  "process.load": "Load the process template",
  "process.check-actions": "Check that every step can run",
  "process.record-client": "Record the client",
  "journey.mark-failed": "Journey stopped: failed",
  "journey.complete": "Journey complete",
  "journey.repurchased": "Client bought again: journey ended",
  // A journey that starts at the lead phase (src/engine/lead-phase.ts).
  "process.read-lead": "Read the lead",
  "process.lead-answered": "Lead answered",
  "process.deal-won": "Wait for the deal to be won",
  "process.deal-won.received": "Deal won",
  "process.deal-won.timeout": "Deal not won within a year: journey ended",
  // The fixed onboarding flow (src/engine/onboarding-workflow.ts).
  "journey.load-workspace": "Load the workspace settings",
  "journey.record-client": "Record the client",
  "journey.record-invoice": "Record the invoice",
  "journey.await-payment": "Wait for the payment",
  "journey.payment-received": "Payment received",
  "journey.mark-unpaid": "Journey ended: unpaid",
  "journey.mark-onboarded": "Onboarding complete",
  "hubspot.get-deal": "Read the deal from HubSpot",
  "stripe.find-or-create-customer": "Find or create the Stripe customer",
  "stripe.create-invoice": "Create the Stripe invoice",
  "notion.create-project-card": "Create the project card in Notion",
  "notion.record-card": "Record the project card",
  "gmail.send-welcome-email": "Send the welcome email",
  "hubspot.update-deal-onboarding": "Update the deal in HubSpot: awaiting payment",
  "stripe.invoice-paid": "Invoice paid",
  "hubspot.update-deal-unpaid": "Mark the deal unpaid in HubSpot",
  "notion.move-card-in-progress": "Move the card to In progress",
  "notion.move-card-in-progress.written": "Record the card's new status",
  "hubspot.update-deal-paid": "Update the deal in HubSpot: paid",
};

/** Names with a number or an id in them. */
const ENGINE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^gmail\.send-payment-reminder-(\d+)$/, (m) => `Payment reminder ${m[1]}`],
  [/^stripe\.wait-invoice-paid-(\d+)$/, (m) => `Wait for the payment (round ${Number(m[1]) + 1})`],
  [/^stripe\.payment-failed\.[^.]+\.client$/, () => "Payment failed — email to the client"],
  [/^stripe\.payment-failed\.[^.]+\.owner$/, () => "Payment failed — email to you"],
  [/^hubspot\.stage-changed\.[^.]+$/, () => "Deal stage changed in HubSpot — card updated"],
  [/^survey\.record\.[^.]+\.hubspot$/, () => "Record the survey answer — HubSpot"],
  [/^survey\.record\.[^.]+\.notion$/, () => "Record the survey answer — Notion"],
  [/^survey\.record\.[^.]+$/, () => "Record the survey answer"],
];

/** The parts a template step's sub-steps end in (step-executors, wait-for-event, process-workflow, run-step). */
const PART_WORDS: Record<string, string> = {
  customer: "Stripe customer",
  invoice: "create invoice",
  finalize: "finalize",
  stage: "deal stage",
  "stage-written": "deal stage recorded",
  written: "card status recorded",
  awaited: "invoice recorded",
  "record-card": "card recorded",
  create: "create",
  unsubscribed: "unsubscribe check",
  approval: "approval",
  approve: "approval",
  "await-approval": "waiting for approval",
  "approval-link": "approval link",
  "owner-address": "your address",
  "approval-request": "approval request email",
  approved: "approved",
  expect: "waiting for the event",
  await: "waiting for the event",
  event: "event received",
  received: "event received",
  "check-initial": "card status check",
  "paid-at": "payment date",
  schedule: "scheduled",
  delay: "waiting until due",
  skipped: "skipped",
  "skipped-by-owner": "skipped by you",
  "done-at": "done",
};

const PART_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^reminder-(\d+)$/, (m) => `reminder ${m[1]}`],
  [/^retry-(\d+)$/, (m) => `retry ${m[1]}`],
  [/^check-(\d+)$/, (m) => `card status check ${Number(m[1]) + 1}`],
  [/^wait-(\d+)$/, (m) => `waiting for the event (round ${Number(m[1]) + 1})`],
  [/^await-operator-\d+$/, () => "waiting for your decision"],
  [/^await-reconnect-\d+$/, () => "waiting for a reconnection"],
];

/** One sub-step part in words; an unknown one with its dashes turned into spaces. */
export function partWords(part: string): string {
  const known = PART_WORDS[part];
  if (known) return known;
  for (const [pattern, words] of PART_PATTERNS) {
    const m = pattern.exec(part);
    if (m) return words(m);
  }
  return part.replace(/-/g, " ");
}

/** What the owner decided on a held step, or why the journey paused (`journey.<what>#<step>#<round>`). */
const DECISION_WORDS: Record<string, string> = {
  pause: "Paused until a connection is restored",
  resume: "Resumed after reconnecting",
  hold: "Held for your decision",
  retry: "Retried by you",
  skip: "Skipped by you",
};

/**
 * A label resolver for one journey's template (its pinned version). Template
 * steps take the step's own name, sub-steps "<step name> — <part>", engine
 * steps fixed words; anything else stays the raw name.
 */
export function stepLabeler(template: ProcessTemplate): StepLabeler {
  const phases = new Map(template.phases.map((p) => [p.id as string, p]));
  const phaseName = (id: string) => phases.get(id)?.name ?? phaseWords(id);

  const resolve = (name: string): StepLabel => {
    // A step run again after a reconnect (`<name>#reconnect-<n>`).
    const reconnect = /^(.+)#reconnect-(\d+)$/.exec(name);
    if (reconnect?.[1]) {
      const inner = resolve(reconnect[1]);
      return { ...inner, label: `${inner.label} — after reconnecting` };
    }
    const decision = /^journey\.([a-z]+)#(.+)#\d+$/.exec(name);
    if (decision?.[1] && decision[2] && DECISION_WORDS[decision[1]]) {
      const inner = resolve(decision[2]);
      return { label: `${DECISION_WORDS[decision[1]]}: ${inner.label}`, phase: inner.phase };
    }
    const phaseStart = /^phase\.([a-z_]+)$/.exec(name);
    if (phaseStart?.[1] && isPhase(phaseStart[1])) {
      const words = phaseName(phaseStart[1]);
      return { label: `${words} phase started`, phase: words };
    }
    const [phaseId = "", stepId = "", ...parts] = name.split(".");
    const phase = phases.get(phaseId);
    const step = phase?.steps.find((s) => s.id === stepId);
    if (phase && step) {
      const label = [step.name, ...parts.map(partWords)].join(" — ");
      return { label, phase: phase.name };
    }
    const engine = ENGINE_STEPS[name];
    if (engine) return { label: engine, phase: null };
    for (const [pattern, words] of ENGINE_PATTERNS) {
      const m = pattern.exec(name);
      if (m) return { label: words(m), phase: null };
    }
    // A phase's step this template does not name: the raw name, still under its phase.
    return { label: name, phase: isPhase(phaseId) && stepId ? phaseName(phaseId) : null };
  };
  return resolve;
}

/** The labeler of a journey whose template is not saved (version 0 or not pinned yet): the built-in default's. */
export const defaultStepLabeler = (): StepLabeler => stepLabeler(defaultProcessTemplate());

/**
 * The labelers of some journeys of a workspace, from each journey's pinned
 * template (`journeys.template_id` + `template_version`). One D1 read for
 * all of them; a journey with no saved version pinned (0 or null) gets the
 * built-in default, as `getTemplate` would.
 */
export async function journeyStepLabelers(
  db: D1Database,
  workspaceId: string,
  journeyIds: string[],
): Promise<(journeyId: string) => StepLabeler> {
  const byJourney = new Map<string, StepLabeler>();
  if (journeyIds.length > 0) {
    const { results } = await db
      .prepare(
        `SELECT t.body, json_group_array(j.id) AS journey_ids
         FROM journeys j
         JOIN process_templates t ON t.workspace_id = j.workspace_id
           AND t.template_id = COALESCE(j.template_id, 'default') AND t.version = j.template_version
         WHERE j.workspace_id = ?1 AND j.id IN (SELECT value FROM json_each(?2))
         GROUP BY t.template_id, t.version`,
      )
      .bind(workspaceId, JSON.stringify(journeyIds))
      .all<{ body: string; journey_ids: string }>();
    for (const row of results) {
      const labeler = stepLabeler(JSON.parse(row.body) as ProcessTemplate);
      for (const id of JSON.parse(row.journey_ids) as string[]) byJourney.set(id, labeler);
    }
  }
  let fallback: StepLabeler | undefined;
  return (journeyId) => {
    const found = byJourney.get(journeyId);
    if (found) return found;
    fallback ??= defaultStepLabeler();
    return fallback;
  };
}
