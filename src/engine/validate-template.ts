import { CONTRACT_MERGE_FIELDS } from "../contracts/render-contract";
import { ACTION_CATALOG } from "./action-catalog";
import { parseDealProperties } from "./deal-properties";
import { PROCESS_MERGE_FIELDS, REMINDER_MERGE_FIELDS } from "./merge-context";
import { type ProcessStep, type ProcessTemplate, templateSchema } from "./template-schema";
import { checkInvoiceInputs, unsentInvoice } from "./validate-invoice";

export type ValidationResult = { ok: true; template: ProcessTemplate } | { ok: false; errors: string[] };

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The texts of a step that may hold merge fields. */
function texts(step: ProcessStep): [string, string][] {
  const inputs = Object.entries(step.inputs).flatMap(([k, v]) =>
    typeof v === "string" ? [[`inputs.${k}`, v] as [string, string]] : [],
  );
  const reminders = step.reminders.flatMap((r, i) => [
    [`reminders[${i}].subject`, r.subject] as [string, string],
    [`reminders[${i}].body`, r.body] as [string, string],
  ]);
  const timeout = step.trigger.type === "event" ? step.trigger.timeout?.dealStatus : undefined;
  return [...inputs, ...reminders, ...(timeout ? [["trigger.timeout.dealStatus", timeout] as [string, string]] : [])];
}

function checkMergeField(
  token: string,
  earlier: Map<string, ProcessStep>,
  known: Record<string, readonly string[]>,
): string | null {
  const parts = token.split(".");
  if (parts[0] === "steps" && parts.length === 3) {
    const [, stepId = "", output = ""] = parts;
    const source = earlier.get(stepId);
    if (!source) return `{{${token}}} refers to a step that does not run before this one`;
    const outputs: readonly string[] = ACTION_CATALOG[source.action].outputs;
    return outputs.includes(output) ? null : `{{${token}}}: step ${stepId} has no output ${output}`;
  }
  const [group = "", field = ""] = parts;
  if (!(parts.length === 2 && Object.hasOwn(known, group) && known[group]?.includes(field)))
    return `Unknown merge field {{${token}}}`;
  // The latest invoice's and card's facts exist once such a step ran; before, they render empty (a blank link).
  const maker =
    group === "invoice" ? "stripe.create-invoice" : token === "project.url" ? "notion.create-project-card" : null;
  if (maker && ![...earlier.values()].some((s) => s.action === maker))
    return `{{${token}}} is empty here: no ${maker} step runs before this one`;
  return null;
}

/** Per-action rules beyond required inputs. */
function checkInputs(step: ProcessStep): string[] {
  const entry = ACTION_CATALOG[step.action];
  const known: readonly string[] = [...entry.required, ...entry.optional];
  const errors = entry.required
    .filter((name) => step.inputs[name] === undefined || step.inputs[name] === "")
    .map((name) => `missing required input "${name}" for ${step.action}`);
  for (const name of Object.keys(step.inputs)) {
    if (!known.includes(name)) errors.push(`unknown input "${name}" for ${step.action}`);
  }
  if (step.action === "stripe.create-invoice") errors.push(...checkInvoiceInputs(step));
  if (step.action === "hubspot.update-deal" && typeof step.inputs.properties === "string") {
    const { lines, errors: problems } = parseDealProperties(step.inputs.properties);
    errors.push(...problems.map((p) => `input "properties": ${p}`));
    if (step.inputs.status && lines.some((l) => l.name === "clientflow_status"))
      errors.push(`input "properties": clientflow_status is already set by the input "status"`);
  }
  if (step.trigger.type === "event" && step.trigger.event === "notion.project.status_changed" && !step.trigger.status) {
    errors.push("a notion.project.status_changed trigger must name the status it waits for");
  }
  return errors;
}

/** The timeout path of an event wait: "unpaid" only makes sense while waiting for a payment. */
function checkTimeout(step: ProcessStep): string[] {
  const timeout = step.trigger.type === "event" ? step.trigger.timeout : undefined;
  if (step.trigger.type !== "event" || timeout?.outcome !== "end_unpaid") return [];
  return step.trigger.event === "stripe.invoice.paid"
    ? []
    : [`the outcome end_unpaid needs a stripe.invoice.paid trigger, not ${step.trigger.event}`];
}

/** Finds a cycle among explicit `after` dependencies, as `a → b → a`. */
function findCycle(steps: ProcessStep[]): string | null {
  const after = new Map(steps.map((s) => [s.id, s.trigger.type === "after" ? s.trigger.steps : []]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (id: string): string | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "visiting") return [...path.slice(path.indexOf(id)), id].join(" → ");
    state.set(id, "visiting");
    path.push(id);
    for (const next of after.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, "done");
    return null;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return null;
}

/** A merge field holding what a lead-form visitor typed (name, company…). */
const VISITOR_FIELD = /\{\{\s*client\./;
/**
 * A lead phase's email goes, from the business's own Gmail, to whatever
 * address the form was given: a subject repeating what the visitor typed
 * would let anyone send their text to anyone under the business's name.
 */
const VISITOR_SUBJECT =
  "a lead-phase email's subject must not repeat what the visitor typed ({{client.…}}): the form's address is not verified";

/**
 * Validates a process template: its shape (zod), then what zod cannot see:
 * unique step ids, phases in journey order, required and unknown inputs per
 * action, merge fields (known fields, or outputs of steps that run earlier),
 * `after` references, and dependency cycles. Every error names its place.
 */
export function validateTemplate(input: unknown): ValidationResult {
  const parsed = templateSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "template"}: ${i.message}`) };
  }
  const template = parsed.data;
  const errors: string[] = [];
  const order = ["lead", "onboarding", "fulfillment", "offboarding", "follow_up"];
  const phaseIds = template.phases.map((p) => p.id);
  if (new Set(phaseIds).size !== phaseIds.length) errors.push("phases: each phase may appear once");
  if (phaseIds.some((id, i) => i > 0 && order.indexOf(id) < order.indexOf(phaseIds[i - 1] ?? ""))) {
    errors.push(`phases: must follow the journey order ${order.join(", ")}`);
  }
  const all = template.phases.flatMap((p) => p.steps);
  const ids = new Set<string>();
  for (const step of all) {
    if (ids.has(step.id)) errors.push(`step ${step.id}: the id is used twice`);
    ids.add(step.id);
  }
  const earlier = new Map<string, ProcessStep>();
  template.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      const where = `phases[${p}].steps[${s}] (${step.id})`;
      for (const error of checkInputs(step)) errors.push(`${where}: ${error}`);
      for (const error of checkTimeout(step)) errors.push(`${where}.trigger.timeout.outcome: ${error}`);
      for (const [field, text] of texts(step)) {
        if (phase.id === "lead" && field === "inputs.subject" && VISITOR_FIELD.test(text)) {
          errors.push(`${where}.${field}: ${VISITOR_SUBJECT}`);
        }
        const known = field.startsWith("reminders[")
          ? REMINDER_MERGE_FIELDS
          : step.action === "contract.send"
            ? { ...PROCESS_MERGE_FIELDS, ...CONTRACT_MERGE_FIELDS }
            : PROCESS_MERGE_FIELDS;
        for (const match of text.matchAll(TOKEN)) {
          const problem = checkMergeField(match[1] ?? "", earlier, known);
          if (problem) errors.push(`${where}.${field}: ${problem}`);
        }
      }
      if (step.trigger.type === "after") {
        for (const ref of step.trigger.steps)
          if (!ids.has(ref) && !all.some((x) => x.id === ref)) errors.push(`${where}: runs after unknown step ${ref}`);
      }
      earlier.set(step.id, step);
    });
  });
  template.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      const problem = unsentInvoice(step, all);
      if (problem) errors.push(`phases[${p}].steps[${s}] (${step.id}).inputs.send: ${problem}`);
    });
  });
  const cycle = findCycle(all);
  if (cycle) errors.push(`steps form a cycle: ${cycle}`);
  return errors.length ? { ok: false, errors } : { ok: true, template };
}
