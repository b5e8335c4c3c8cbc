import type { StepLabels } from "../runtime/run-step";
import type { ProcessTemplate } from "./template-schema";

/** The interpreter's own rows, outside any template step (journey-workflow.ts names them). */
const ENGINE_ROWS: Record<string, string> = {
  "process.read-deal": "Read the deal from HubSpot",
  "process.check-actions": "Check that every step can run",
  "process.load": "Load the process template",
  "journey.stopped": "The journey stopped",
  // A journey that starts at the lead phase (lead-phase.ts).
  "process.read-lead": "Read the lead",
  "process.deal-won": "Wait for the deal to be won",
};

/**
 * The sub-steps the interpreter opens rows for, by the part it appends to
 * `<phase>.<step>` (step-executors.ts, wait-for-event.ts, journey-workflow.ts).
 */
const PARTS: Array<[RegExp, (n: number) => string]> = [
  [/^customer$/, () => "Stripe customer"],
  [/^stage$/, () => "deal stage"],
  [/^reminder-(\d+)$/, (n) => `reminder ${n}`],
  [/^approval-request$/, () => "approval request email"],
  [/^check-initial$/, () => "card status check"],
  [/^check-(\d+)$/, (n) => `card status check ${n + 1}`],
  [/^event$/, () => "event received"],
  [/^check-deal$/, () => "check the deal"],
];

/** A sub-step's part in words: the interpreter's own, else its dashes turned into spaces. */
function partWords(part: string): string {
  for (const [pattern, words] of PARTS) {
    const match = pattern.exec(part);
    if (match) return words(Number(match[1] ?? 0));
  }
  return part.replace(/-/g, " ");
}

/**
 * The labels the interpreter's rows open with: a template step (`<phase>.<step>`)
 * is the step's own name in the template the journey runs, a sub-step
 * "<step name> — <part>". Without a template (before it is loaded) only the
 * interpreter's own rows have words; other names get none (null).
 */
export function processStepLabels(template: ProcessTemplate | null): StepLabels {
  const names = new Map(template?.phases.flatMap((p) => p.steps.map((s) => [`${p.id}.${s.id}`, s.name])));
  return (name) => {
    const own = ENGINE_ROWS[name];
    if (own) return own;
    // The engine's phase writeback (engine-steps.ts): `phase.<phase>.writeback`.
    const writeback = /^phase\.([a-z_]+)\.writeback$/.exec(name)?.[1];
    const phaseName = template?.phases.find((p) => p.id === writeback)?.name;
    if (phaseName) return `${phaseName} — HubSpot deal status`;
    const [phase, step, ...parts] = name.split(".");
    const stepName = names.get(`${phase}.${step}`);
    if (!stepName) return null;
    return [stepName, ...parts.map(partWords)].join(" — ");
  };
}
