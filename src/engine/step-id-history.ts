import { DEFAULT_TEMPLATE_ID, listTemplateBodies } from "../store/process-templates";
import { DEFAULT_TEMPLATE } from "./default-template";
import type { ProcessTemplate } from "./template-schema";

/** What a step id meant when a version of a template first used it. */
export interface UsedStepId {
  action: string;
  version: number;
}

type Outline = { phases: readonly { steps: readonly { id: string; action: string }[] }[] };

/**
 * Every step id a template ever used, with the action it first stood for:
 * its saved versions' and, for the default template, the built-in default's
 * (journeys ran it as version 0). Step names (`<phase>.<id>`) are permanent
 * for running journeys (docs/architecture.md, "Changing a Workflow while
 * journeys run"), so an id keeps its action for good.
 */
export async function usedStepIds(
  db: D1Database,
  workspaceId: string,
  templateId: string,
): Promise<Map<string, UsedStepId>> {
  const used = new Map<string, UsedStepId>();
  const add = (outline: Outline, version: number) => {
    for (const step of outline.phases.flatMap((p) => p.steps))
      if (!used.has(step.id)) used.set(step.id, { action: step.action, version });
  };
  if (templateId === DEFAULT_TEMPLATE_ID) add(DEFAULT_TEMPLATE, 0);
  // Every stored body passed validateTemplate when it was saved, so it has this outline.
  for (const { version, body } of await listTemplateBodies(db, workspaceId, templateId)) add(body as Outline, version);
  return used;
}

/**
 * The steps of `template` that take an id an earlier version used for
 * another action, each placed at its `id` field. The Workflow would replay
 * the old step's cached result (or timeline row) under the new action's name.
 */
export function reusedStepIds(template: ProcessTemplate, used: ReadonlyMap<string, UsedStepId>): string[] {
  return template.phases.flatMap((phase, p) =>
    phase.steps.flatMap((step, s) => {
      const before = used.get(step.id);
      if (!before || before.action === step.action) return [];
      const where = before.version === 0 ? "the built-in default template" : `version ${before.version}`;
      return [
        `phases[${p}].steps[${s}] (${step.id}).id: ${where} used the id ${step.id} for ${before.action}; step ids are permanent, so a step with the action ${step.action} needs a new id`,
      ];
    }),
  );
}
