import type { DealPipeline } from "../../integrations/hubspot/pipelines";
import { CLIENT_LINKS, type ClientLink, LINKS_SETTINGS_PLACE } from "../settings/client-links";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import { CLIENT_LINK_FIELDS } from "./merge-context";
import type { ProcessStep, ProcessTemplate } from "./template-schema";

/**
 * What a template is checked against beyond its schema: the connected
 * accounts as read when it is saved (null where a provider was not
 * connected or could not be read: its checks are skipped, with a warning
 * the reader adds) and the workspace's settings.
 */
export interface AccountFacts {
  /** The Notion project board and the options of its Status property. */
  board: { name: string; statuses: string[] } | null;
  /** The HubSpot account's deal pipelines with their stages. */
  pipelines: DealPipeline[] | null;
  settings: WorkspaceSettings;
  /** The lead form's own booking link, which `{{links.booking}}` of the lead phase uses first. */
  leadBookingUrl: string | null;
}

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

/** A step's place in validateTemplate's wording, so placeProblems puts the problem next to its field. */
const place = (p: number, s: number, step: ProcessStep) => `phases[${p}].steps[${s}] (${step.id})`;

/**
 * A status or stage input's value as it will be at run time, when it can be
 * known now: literal text, or merge fields that come from the settings
 * (`{{business.completedStage}}`). Null when it depends on the journey.
 */
function resolve(text: string, settings: WorkspaceSettings): string | null {
  let known = true;
  const value = text.replace(TOKEN, (_m, token: string) => {
    if (token === "business.completedStage") return settings.completedStage;
    known = false;
    return "";
  });
  return known ? value.trim() : null;
}

/** The texts of a step a client may receive: its text inputs and its reminders. */
function clientTexts(step: ProcessStep): [string, string][] {
  const inputs = Object.entries(step.inputs).flatMap(([k, v]) =>
    typeof v === "string" ? [[`inputs.${k}`, v] as [string, string]] : [],
  );
  const reminders = step.reminders.flatMap((r, i) => [
    [`reminders[${i}].subject`, r.subject] as [string, string],
    [`reminders[${i}].body`, r.body] as [string, string],
  ]);
  return [...inputs, ...reminders];
}

/** A client link a template uses while it is unset, at the field that uses it. */
export interface UnsetLinkUse {
  link: ClientLink;
  /** validateTemplate's wording of the place: `phases[3].steps[2] (review-request).inputs.body`. */
  field: string;
  token: string;
  /** The step's name, as the owner named it. */
  step: string;
}

/**
 * Every use of a client link the settings leave unset. `{{agreement.url}}`
 * after a contract step is the journey's own agreement, and the lead
 * phase's `{{links.booking}}` is the lead form's link when it has one.
 */
export function unsetLinkUses(
  template: ProcessTemplate,
  settings: WorkspaceSettings,
  leadBookingUrl: string | null,
): UnsetLinkUse[] {
  const uses: UnsetLinkUse[] = [];
  let contractSent = false;
  template.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      for (const [field, text] of clientTexts(step)) {
        for (const match of text.matchAll(TOKEN)) {
          const token = match[1] ?? "";
          const link = CLIENT_LINK_FIELDS[token];
          if (!link || settings[CLIENT_LINKS[link].setting]) continue;
          if (token === "agreement.url" && contractSent) continue;
          if (link === "booking" && phase.id === "lead" && leadBookingUrl) continue;
          uses.push({ link, field: `${place(p, s, step)}.${field}`, token, step: step.name });
        }
      }
      if (step.action === "contract.send") contractSent = true;
    });
  });
  return uses;
}

function statusProblem(value: string, board: NonNullable<AccountFacts["board"]>): string | null {
  if (board.statuses.includes(value)) return null;
  return `"${value}" is not a Status option of the board "${board.name}" (${board.statuses.join(", ")})`;
}

function stageProblem(value: string, pipelines: DealPipeline[], what: string): string | null {
  if (pipelines.some((p) => p.stages.some((stage) => stage.id === value))) return null;
  const listed = pipelines.map((p) => `"${p.label}": ${p.stages.map((s) => s.id).join(", ")}`).join("; ");
  const where = pipelines.length === 1 ? `the pipeline "${pipelines[0]?.label}"` : "any deal pipeline";
  return `${what}"${value}" is not a stage of ${where} (${listed || "no stages"})`;
}

/**
 * Checks a (schema-valid) template against the connected accounts and the
 * settings, in validateTemplate's wording (every problem at its field): the
 * card statuses notion.* steps set and the status a
 * `notion.project.status_changed` trigger waits for must be Status options
 * of the board; the template's pipeline must exist, and every HubSpot stage
 * input and the closed-won stage that starts it (when a step waits for
 * `hubspot.deal.won`) must be stages of it (of any pipeline when it names
 * none); and no client text may use a link the settings leave unset.
 */
export function checkAgainstAccounts(template: ProcessTemplate, facts: AccountFacts): string[] {
  const errors: string[] = [];
  const { board, settings } = facts;
  let pipelines = facts.pipelines;
  if (pipelines && template.pipeline) {
    const chosen = pipelines.find((p) => p.id === template.pipeline);
    if (!chosen) {
      const ids = pipelines.map((p) => `${p.id} (${p.label})`).join(", ");
      errors.push(`pipeline: "${template.pipeline}" is not a deal pipeline of the HubSpot account (${ids})`);
      pipelines = null;
    } else pipelines = [chosen];
  }
  template.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      const where = place(p, s, step);
      const status = step.inputs.status;
      if (board && step.action.startsWith("notion.") && typeof status === "string") {
        const value = resolve(status, settings);
        const problem = value ? statusProblem(value, board) : null;
        if (problem) errors.push(`${where}.inputs.status: ${problem}`);
      }
      const trigger = step.trigger;
      if (board && trigger.type === "event" && trigger.event === "notion.project.status_changed" && trigger.status) {
        const problem = statusProblem(trigger.status, board);
        if (problem) errors.push(`${where}.trigger.status: ${problem}`);
      }
      const stage = step.inputs.stage;
      if (pipelines && step.action.startsWith("hubspot.") && typeof stage === "string") {
        const value = resolve(stage, settings);
        const fromSettings = stage.includes("{{") ? "the completed stage set in Settings, " : "";
        const problem = value ? stageProblem(value, pipelines, fromSettings) : null;
        if (problem) errors.push(`${where}.inputs.stage: ${problem}`);
      }
      if (pipelines && trigger.type === "event" && trigger.event === "hubspot.deal.won") {
        const problem = stageProblem(settings.closedWonStage, pipelines, "the closed-won stage set in Settings, ");
        if (problem) errors.push(`${where}.trigger.event: ${problem}`);
      }
    });
  });
  for (const use of unsetLinkUses(template, settings, facts.leadBookingUrl)) {
    const label = CLIENT_LINKS[use.link].label;
    errors.push(
      `${use.field}: {{${use.token}}} sends the ${label}, which is not set: set it in ${LINKS_SETTINGS_PLACE}`,
    );
  }
  return errors;
}

/** The unset links a workspace's templates send, each with the names of the steps that send it. */
export function neededLinks(
  templates: ProcessTemplate[],
  settings: WorkspaceSettings,
  leadBookingUrl: string | null,
): { link: ClientLink; label: string; steps: string[] }[] {
  const steps = new Map<ClientLink, Set<string>>();
  for (const template of templates)
    for (const use of unsetLinkUses(template, settings, leadBookingUrl))
      steps.set(use.link, (steps.get(use.link) ?? new Set()).add(use.step));
  return (Object.keys(CLIENT_LINKS) as ClientLink[]).flatMap((link) => {
    const names = steps.get(link);
    return names ? [{ link, label: CLIENT_LINKS[link].label, steps: [...names] }] : [];
  });
}
