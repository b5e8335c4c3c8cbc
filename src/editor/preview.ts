import { renderEmail } from "../email/render";
import { brandingOf, PROCESS_MERGE_FIELDS, type StepOutputs } from "../engine/merge-context";
import type { MergeData } from "../engine/merge-fields";
import { parseWorkspaceSettings } from "../settings/workspace-settings";
import { findWorkspace } from "../settings/workspaces";
import { type OutlineStep, type SampleClient, sampleClient } from "./sample-client";

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

export interface PreviewText {
  text: string;
  /** Tokens no data defines, e.g. "client.nickname" (left in the text as written). */
  unknown: string[];
  /** Known fields that are still empty at this step (e.g. the invoice before any invoice step). */
  empty: string[];
}

/**
 * Fills merge fields the way the interpreter does (`renderProcessText`), but
 * never throws: an unknown field stays in the text as written and is listed,
 * so the owner sees it instead of a silent blank.
 */
export function renderPreviewText(text: string, data: MergeData, outputs: StepOutputs): PreviewText {
  const unknown = new Set<string>();
  const empty = new Set<string>();
  const rendered = text.replace(TOKEN, (whole, token: string) => {
    const parts = token.split(".");
    const [a = "", b = "", c = ""] = parts;
    let value: string | number | null | undefined;
    if (a === "steps" && parts.length === 3) value = Object.hasOwn(outputs, b) ? outputs[b]?.[c] : undefined;
    else if (parts.length === 2 && Object.hasOwn(data, a)) {
      const group = data[a] ?? {};
      value = Object.hasOwn(group, b) ? group[b] : undefined;
    }
    if (value === undefined) {
      unknown.add(token);
      return whole;
    }
    if (value === null || value === "") empty.add(token);
    return value === null ? "" : String(value);
  });
  return { text: rendered, unknown: [...unknown], empty: [...empty] };
}

/** A template draft, as far as previews need it: its steps in order. */
export interface TemplateOutline {
  phases: { id?: string; steps: OutlineStep[] }[];
}

/**
 * The steps that run before `stepId` (all steps when the id is not in the
 * template): their outputs are what `{{steps.<id>.<output>}}` may name.
 */
export function stepsBefore(template: TemplateOutline, stepId: string | undefined): OutlineStep[] {
  const all = template.phases.flatMap((p) => p.steps);
  const at = stepId === undefined ? -1 : all.findIndex((s) => s.id === stepId);
  return at === -1 ? all : all.slice(0, at);
}

/** The workspace's sample client: its own business name and settings, the sample deal. */
export async function workspaceSample(
  db: D1Database,
  workspaceId: string,
  origin: string,
  steps?: OutlineStep[],
): Promise<SampleClient> {
  const workspace = await findWorkspace(db, workspaceId);
  return sampleClient({
    businessName: workspace?.name ?? "Your business",
    settings: workspace?.settings ?? parseWorkspaceSettings("{}"),
    origin,
    steps,
  });
}

/** The merge fields a step can use: the fixed groups plus the outputs of earlier steps. */
export function availableFields(outputs: StepOutputs): string[] {
  const fixed = Object.entries(PROCESS_MERGE_FIELDS).flatMap(([group, keys]) => keys.map((k) => `${group}.${k}`));
  const fromSteps = Object.entries(outputs).flatMap(([id, values]) =>
    Object.keys(values).map((o) => `steps.${id}.${o}`),
  );
  return [...fixed, ...fromSteps];
}

/**
 * Renders an email's subject and body against a sample client, through the
 * renderer and with the branding a journey's send uses: the HTML and text
 * are what the client would receive, byte for byte.
 */
export function previewEmail(sample: SampleClient, input: { subject?: string; body?: string }) {
  const subject = input.subject === undefined ? null : renderPreviewText(input.subject, sample.data, sample.outputs);
  const body = input.body === undefined ? null : renderPreviewText(input.body, sample.data, sample.outputs);
  const unknown = new Set([...(subject?.unknown ?? []), ...(body?.unknown ?? [])]);
  const empty = new Set([...(subject?.empty ?? []), ...(body?.empty ?? [])]);
  const email = body
    ? renderEmail({ subject: subject?.text ?? "", body: body.text, branding: brandingOf(sample) })
    : null;
  return {
    subject: subject?.text ?? null,
    body: email?.text ?? null,
    html: email?.html ?? null,
    unknownFields: [...unknown].map((t) => `{{${t}}}`),
    emptyFields: [...empty].map((t) => `{{${t}}}`),
  };
}
