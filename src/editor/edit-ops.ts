import { z } from "zod";
import { ACTION_NAMES, type ActionName } from "../engine/action-catalog";
import { PRESETS, type PresetId, presetTemplate } from "../engine/presets";
import { PHASES } from "../engine/template-schema";

/**
 * The editor's structural edits of a draft template: add, remove and move a
 * step, change a step's action, include or leave out a phase, start again
 * from a preset. Field edits travel in the draft itself; these change its
 * shape. The server applies them (it knows every id saved before), the page
 * re-renders the draft, and nothing is saved until the owner saves.
 */
export const EditOp = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("add-step"), phase: z.enum(PHASES), action: z.enum(ACTION_NAMES) }),
  z.object({ kind: z.literal("remove-step"), stepId: z.string() }),
  z.object({ kind: z.literal("move-step"), stepId: z.string(), direction: z.enum(["up", "down"]) }),
  z.object({ kind: z.literal("set-action"), stepId: z.string(), action: z.enum(ACTION_NAMES) }),
  z.object({ kind: z.literal("include-phase"), phase: z.enum(PHASES) }),
  z.object({ kind: z.literal("leave-out-phase"), phase: z.enum(PHASES) }),
  z.object({ kind: z.literal("start-from"), preset: z.enum(Object.keys(PRESETS) as [PresetId, ...PresetId[]]) }),
]);
export type EditOp = z.infer<typeof EditOp>;

/** A draft as the page sends it: shaped loosely, since it may be invalid (validation comes after). */
export const DraftTemplate = z.looseObject({
  phases: z.array(z.looseObject({ id: z.string(), steps: z.array(z.looseObject({ id: z.string() })) })),
});
type Draft = z.infer<typeof DraftTemplate>;
type DraftPhase = Draft["phases"][number];
type DraftStep = DraftPhase["steps"][number];

/** An edited draft, and the step to bring into view (the new, moved or changed one). */
export interface Edited {
  template: Draft;
  stepId: string | null;
}

/** The names the editor gives a phase it includes (the default template's). */
export const PHASE_NAMES: Record<(typeof PHASES)[number], string> = {
  lead: "Lead capture",
  onboarding: "Onboarding",
  fulfillment: "Fulfillment",
  offboarding: "Off-boarding",
  follow_up: "Follow-up",
};

/** The refusal of an edit that does not fit the draft (an unknown step, a phase already there). */
export class EditRefused extends Error {}

/** `gmail.send-email` → `send-email`: a new step's id starts with its action's verb. */
const verbOf = (action: ActionName) => action.slice(action.indexOf(".") + 1);

/**
 * A new step id `<action-verb>-<n>`: the lowest n no step of the draft uses
 * and no saved version of the template ever used (step names are permanent:
 * a name that meant another step in an older version is never given again).
 */
export function newStepId(action: ActionName, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${verbOf(action)}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The step named `stepId` and where it is; refused when the draft has none. */
function locate(draft: Draft, stepId: string): { phase: number; step: number } {
  for (const [p, phase] of draft.phases.entries()) {
    const s = phase.steps.findIndex((step) => step.id === stepId);
    if (s !== -1) return { phase: p, step: s };
  }
  throw new EditRefused(`The draft has no step ${stepId}`);
}

/** Moves a step one place; past the end of its phase it goes to the next phase (or previous) in order. */
function move(draft: Draft, stepId: string, direction: "up" | "down"): void {
  const at = locate(draft, stepId);
  const steps = draft.phases[at.phase]?.steps ?? [];
  const [step] = steps.splice(at.step, 1) as [DraftStep];
  const to = direction === "up" ? at.step - 1 : at.step + 1;
  if (to >= 0 && to <= steps.length) {
    steps.splice(to, 0, step);
    return;
  }
  const next = draft.phases[direction === "up" ? at.phase - 1 : at.phase + 1];
  if (!next) {
    steps.splice(at.step, 0, step); // already first (or last) of the journey: stays
    return;
  }
  if (direction === "up") next.steps.push(step);
  else next.steps.unshift(step);
}

/**
 * Applies one edit to a copy of `draft`. `reserved` holds every step id the
 * template's saved versions used; new ids avoid them and the draft's own.
 */
export function applyEdit(input: Draft, op: EditOp, reserved: ReadonlySet<string>): Edited {
  if (op.kind === "start-from") return { template: presetTemplate(op.preset) as Draft, stepId: null };
  const draft = structuredClone(input);
  let stepId: string | null = "stepId" in op ? op.stepId : null;
  switch (op.kind) {
    case "add-step": {
      const phase = draft.phases.find((p) => p.id === op.phase);
      if (!phase) throw new EditRefused(`The draft leaves out the phase ${op.phase}; include it first`);
      const taken = new Set([...reserved, ...draft.phases.flatMap((p) => p.steps.map((s) => s.id))]);
      stepId = newStepId(op.action, taken);
      phase.steps.push({
        id: stepId,
        name: "New step",
        action: op.action,
        inputs: {},
        trigger: { type: "after_previous" },
        approval: false,
        reminders: [],
      });
      break;
    }
    case "remove-step": {
      const at = locate(draft, op.stepId);
      draft.phases[at.phase]?.steps.splice(at.step, 1);
      stepId = null;
      break;
    }
    case "move-step":
      move(draft, op.stepId, op.direction);
      break;
    case "set-action": {
      const at = locate(draft, op.stepId);
      const step = draft.phases[at.phase]?.steps[at.step];
      if (!step || step.action === op.action) break;
      // Another action is another step: a new id (the old name stays reserved for what it meant), and
      // inputs that start empty, as the new action's catalog entry lists them.
      const taken = new Set([...reserved, ...draft.phases.flatMap((p) => p.steps.map((s) => s.id))]);
      stepId = newStepId(op.action, taken);
      Object.assign(step, { id: stepId, action: op.action, inputs: {} });
      break;
    }
    case "include-phase": {
      if (draft.phases.some((p) => p.id === op.phase)) throw new EditRefused(`The phase ${op.phase} is already in`);
      const order = (id: string) => PHASES.indexOf(id as (typeof PHASES)[number]);
      const phase: DraftPhase = { id: op.phase, name: PHASE_NAMES[op.phase], steps: [] };
      const before = draft.phases.findIndex((p) => order(p.id) > order(op.phase));
      draft.phases.splice(before === -1 ? draft.phases.length : before, 0, phase);
      break;
    }
    case "leave-out-phase": {
      const at = draft.phases.findIndex((p) => p.id === op.phase);
      if (at === -1) throw new EditRefused(`The draft has no phase ${op.phase}`);
      draft.phases.splice(at, 1);
      break;
    }
  }
  return { template: draft, stepId };
}
