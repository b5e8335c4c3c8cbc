import { processStepLabels } from "../../engine/step-labels";
import { PHASES, type ProcessTemplate } from "../../engine/template-schema";
import { defaultProcessTemplate } from "../../engine/templates";
import type { JourneyStep } from "../../store/journey-steps";
import { pinnedTemplatesOfJourneys } from "../../store/process-templates";

/** A step row in the owner's words, and the phase it belongs to. */
export interface StepLabel {
  /** "Invoice the deposit — Stripe customer"; the raw name when nothing better is known. */
  label: string;
  /** The template phase's name ("Onboarding") for a phase's steps, else null (the engine's own steps). */
  phase: string | null;
}

/** Resolves the step rows of one journey. */
export type StepLabeler = (step: Pick<JourneyStep, "name" | "label">) => StepLabel;

const isPhase = (id: string): id is (typeof PHASES)[number] => (PHASES as readonly string[]).includes(id);

let builtInPhases: Map<string, string> | undefined;

/** A journey phase as the owner reads it: its name in the built-in template. */
export function phaseWords(phase: string): string {
  builtInPhases ??= new Map(defaultProcessTemplate().phases.map((p) => [p.id as string, p.name]));
  return builtInPhases.get(phase) ?? phase;
}

/**
 * A label resolver for one journey's template (its pinned version). A row
 * shows the label it stored when it opened; a row written before labels
 * were stored (migration 0012) gets the words the engine would have given it
 * with this template, else its raw name. The phase is the template's name
 * for the phase the step name starts with.
 */
export function stepLabeler(template: ProcessTemplate): StepLabeler {
  const phases = new Map(template.phases.map((p) => [p.id as string, p.name]));
  const computed = processStepLabels(template);
  return ({ name, label }) => {
    const phaseId = name.split(".")[0] ?? "";
    const phase = isPhase(phaseId) && name.includes(".") ? (phases.get(phaseId) ?? phaseWords(phaseId)) : null;
    return { label: label ?? computed(name) ?? name, phase };
  };
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
  for (const pinned of await pinnedTemplatesOfJourneys(db, workspaceId, journeyIds)) {
    const labeler = stepLabeler(pinned.body as ProcessTemplate);
    for (const id of pinned.journeyIds) byJourney.set(id, labeler);
  }
  let fallback: StepLabeler | undefined;
  return (journeyId) => {
    const found = byJourney.get(journeyId);
    if (found) return found;
    fallback ??= defaultStepLabeler();
    return fallback;
  };
}
