import {
  DEAL_WON_ROW,
  INSIGHT_PHASES,
  INTERVALS,
  KEY_STEP_ROWS,
  KEY_STEPS,
  type KeyStepId,
  type PhaseId,
} from "./definitions";
import type { ClientFigure, DurationFigure, JourneyRow, StepRow, SurveyRow } from "./rows";
import { between, monthOf, summarize } from "./stats";

/** A step row the engine names `<phase>.<step id>` (not its sub-rows such as `….reminder-1`). */
const MAIN_ROW = /^(lead|onboarding|fulfillment|offboarding|follow_up)\.[a-z][a-z0-9-]*$/;

const PHASE_INDEX = new Map<string, number>(INSIGHT_PHASES.map((p, i) => [p.id, i]));

/** The phase of a main step row, or null for other rows. */
export function phaseOfRow(name: string): PhaseId | null {
  const match = MAIN_ROW.exec(name);
  return match ? (match[1] as PhaseId) : null;
}

/** The label of a journey's template version: `default v3`, or `unpinned` before its template was loaded. */
export function templateLabel(journey: Pick<JourneyRow, "templateId" | "templateVersion">): string {
  if (journey.templateVersion === null) return "unpinned";
  return `${journey.templateId ?? "default"} v${journey.templateVersion}`;
}

/** When a row finished as done (not skipped), or null. */
const doneAt = (row: StepRow | undefined) =>
  row && row.status === "succeeded" && !row.skipped ? row.finishedAt : null;

/** The time of each key step one journey reached. */
export function keyStepTimes(
  journey: JourneyRow,
  steps: StepRow[],
  survey: SurveyRow | undefined,
): Record<KeyStepId, string | null> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  // A journey that began as a lead was won when its process.deal-won step finished, if it did.
  const beganAsLead = byName.has(DEAL_WON_ROW) || steps.some((s) => phaseOfRow(s.name) === "lead");
  const times = {} as Record<KeyStepId, string | null>;
  for (const key of KEY_STEPS) {
    const row = KEY_STEP_ROWS[key.id];
    times[key.id] = row ? doneAt(byName.get(row)) : null;
  }
  times.won = beganAsLead ? doneAt(byName.get(DEAL_WON_ROW)) : journey.createdAt;
  times.reviewed = survey?.answeredAt ?? null;
  return times;
}

/** Milliseconds in each phase the journey is done with (see OTHER_DEFINITIONS.phase). */
export function phaseTimes(journey: JourneyRow, steps: StepRow[]): Record<PhaseId, number | null> {
  const rows = steps.filter((s) => phaseOfRow(s.name) !== null);
  const latest = Math.max(-1, ...rows.map((s) => PHASE_INDEX.get(phaseOfRow(s.name) ?? "") ?? -1));
  const result = {} as Record<PhaseId, number | null>;
  INSIGHT_PHASES.forEach((phase, index) => {
    const own = rows.filter((s) => phaseOfRow(s.name) === phase.id);
    const movedOn = index < latest || journey.status === "complete";
    if (own.length === 0 || !movedOn || own.some((s) => s.finishedAt === null)) {
      result[phase.id] = null;
      return;
    }
    const start = Math.min(...own.map((s) => Date.parse(s.startedAt)));
    const end = Math.max(...own.map((s) => Date.parse(s.finishedAt ?? s.startedAt)));
    result[phase.id] = end - start;
  });
  return result;
}

/** Each journey's own figures: its key-step intervals and phase times. */
export function clientFigures(journeys: JourneyRow[], steps: StepRow[], surveys: SurveyRow[]): ClientFigure[] {
  const stepsOf = new Map<string, StepRow[]>();
  for (const step of steps) stepsOf.set(step.journeyId, [...(stepsOf.get(step.journeyId) ?? []), step]);
  const surveyOf = new Map(surveys.map((s) => [s.journeyId, s]));
  return journeys.map((journey) => {
    const own = stepsOf.get(journey.id) ?? [];
    const times = keyStepTimes(journey, own, surveyOf.get(journey.id));
    const intervals: Record<string, number | null> = {};
    for (const interval of INTERVALS) intervals[interval.id] = between(times[interval.from], times[interval.to]);
    return {
      journeyId: journey.id,
      clientName: journey.clientName,
      month: monthOf(journey.createdAt),
      template: templateLabel(journey),
      status: journey.status,
      intervals,
      phases: phaseTimes(journey, own),
    };
  });
}

/** Per month and template version: count, median, p75 and p90 of every phase and interval. */
export function durationFigures(clients: ClientFigure[]): DurationFigure[] {
  const groups = new Map<string, ClientFigure[]>();
  for (const client of clients) {
    const key = `${client.month}\u0000${client.template}`;
    groups.set(key, [...(groups.get(key) ?? []), client]);
  }
  const figures: DurationFigure[] = [];
  const keys = [...groups.keys()].sort();
  for (const key of keys) {
    const members = groups.get(key) ?? [];
    const [month = "", template = ""] = key.split("\u0000");
    const measures = [
      ...INSIGHT_PHASES.map((p) => ({
        kind: "phase" as const,
        id: p.id,
        label: p.label,
        of: (c: ClientFigure) => c.phases[p.id],
      })),
      ...INTERVALS.map((i) => ({
        kind: "interval" as const,
        id: i.id,
        label: i.label,
        of: (c: ClientFigure) => c.intervals[i.id],
      })),
    ];
    for (const measure of measures) {
      const values = members.map(measure.of).filter((v): v is number => typeof v === "number");
      const summary = summarize(values);
      if (summary)
        figures.push({ month, template, kind: measure.kind, id: measure.id, label: measure.label, ...summary });
    }
  }
  return figures;
}
