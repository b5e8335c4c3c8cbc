import { ANCHORS, PROCESS_EVENTS } from "../engine/action-catalog";
import { type ProcessStep, TIMEOUT_OUTCOMES } from "../engine/template-schema";
import { Field, SelectField } from "./editor-fields";

const TRIGGERS = [
  { value: "after_previous", label: "Right after the previous step" },
  { value: "event", label: "When an event arrives" },
  { value: "delay", label: "After a delay" },
  { value: "after", label: "After other steps" },
  { value: "date", label: "On a date" },
];
export const UNITS = ["hours", "days", "weeks", "months"] as const;
const OUTCOME_LABELS: Record<(typeof TIMEOUT_OUTCOMES)[number], string> = {
  fail: "the journey fails",
  skip: "skip this step and go on",
  end_unpaid: "the journey ends as unpaid",
};
const ANCHOR_LABELS: Record<string, string> = {
  previous: "the previous step",
  start: "the journey's start",
  payment: "the payment",
  end: "the end of the project",
};

/** One line describing when a step runs, for the step's summary. */
export function describeTrigger(trigger: ProcessStep["trigger"]): string {
  switch (trigger.type) {
    case "after_previous":
      return "right after the previous step";
    case "after":
      return `after ${trigger.steps.join(", ")}`;
    case "event": {
      const timeout = trigger.timeout
        ? `; if none within ${trigger.timeout.after.amount} ${trigger.timeout.after.unit}, ${OUTCOME_LABELS[trigger.timeout.outcome]}`
        : "";
      return `on ${trigger.event}${trigger.status ? ` (${trigger.status})` : ""}${timeout}`;
    }
    case "delay":
      return `${trigger.wait.amount} ${trigger.wait.unit} after ${ANCHOR_LABELS[trigger.from] ?? trigger.from}`;
    case "date":
      return `on ${trigger.at.slice(0, 16).replace("T", " ")} UTC`;
  }
}

/** The trigger of a step: its type, and the fields of that type (the others hidden). */
export function TriggerFields(props: { base: string; step: ProcessStep; readOnly: boolean }) {
  const { base, step, readOnly } = props;
  const t = step.trigger;
  const path = `${base}.trigger`;
  const group = (type: string) => ({ "data-trigger-group": type, hidden: t.type !== type || undefined });
  const kind = "trigger" as const;
  return (
    <fieldset class="trigger" data-trigger={path}>
      <legend>When it runs</legend>
      <SelectField
        label="Trigger"
        path={`${path}.type`}
        value={t.type}
        options={TRIGGERS}
        kind={kind}
        readOnly={readOnly}
      />
      <div class="inline" {...group("event")}>
        <SelectField
          label="Event"
          path={`${path}.event`}
          value={t.type === "event" ? t.event : undefined}
          options={PROCESS_EVENTS}
          kind={kind}
          readOnly={readOnly}
        />
        <Field
          label="Status (Notion status changes)"
          path={`${path}.status`}
          value={t.type === "event" ? t.status : undefined}
          kind={kind}
          readOnly={readOnly}
        />
      </div>
      <TimeoutFields path={`${path}.timeout`} step={step} readOnly={readOnly} hidden={t.type !== "event"} />
      <div class="inline" {...group("delay")}>
        <Field
          label="Wait"
          path={`${path}.wait.amount`}
          type="number"
          value={t.type === "delay" ? t.wait.amount : 1}
          kind={kind}
          readOnly={readOnly}
          attrs={{ min: "0", max: "1000" }}
        />
        <SelectField
          label="Unit"
          path={`${path}.wait.unit`}
          value={t.type === "delay" ? t.wait.unit : "days"}
          options={UNITS}
          kind={kind}
          readOnly={readOnly}
        />
        <SelectField
          label="Counted from"
          path={`${path}.from`}
          value={t.type === "delay" ? t.from : "previous"}
          options={ANCHORS.map((a) => ({ value: a, label: ANCHOR_LABELS[a] ?? a }))}
          kind={kind}
          readOnly={readOnly}
        />
      </div>
      <div {...group("after")}>
        <Field
          label="After the steps (ids, comma-separated)"
          path={`${path}.steps`}
          value={t.type === "after" ? t.steps.join(", ") : ""}
          kind={kind}
          readOnly={readOnly}
        />
      </div>
      <div {...group("date")}>
        <Field
          label="Date and time (UTC, ISO 8601)"
          path={`${path}.at`}
          value={t.type === "date" ? t.at : ""}
          kind={kind}
          readOnly={readOnly}
          hint="For example 2027-03-01T09:00:00Z"
        />
      </div>
    </fieldset>
  );
}

/**
 * An event wait's timeout path: how long after the last reminder, what
 * follows, and the deal status written first. An empty wait leaves the
 * default (a year, then the journey fails).
 */
function TimeoutFields(props: { path: string; step: ProcessStep; readOnly: boolean; hidden: boolean }) {
  const { path, readOnly } = props;
  const timeout = props.step.trigger.type === "event" ? props.step.trigger.timeout : undefined;
  const kind = "trigger" as const;
  return (
    <div class="inline" data-trigger-group="event" hidden={props.hidden || undefined}>
      <Field
        label="If it never comes: wait (after the last reminder)"
        path={`${path}.after.amount`}
        type="number"
        value={timeout?.after.amount}
        kind={kind}
        readOnly={readOnly}
        attrs={{ min: "0", max: "1000" }}
        hint="Empty: a year"
      />
      <SelectField
        label="Unit"
        path={`${path}.after.unit`}
        value={timeout?.after.unit ?? "days"}
        options={UNITS}
        kind={kind}
        readOnly={readOnly}
      />
      <SelectField
        label="Then"
        path={`${path}.outcome`}
        value={timeout?.outcome ?? "fail"}
        options={TIMEOUT_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
        kind={kind}
        readOnly={readOnly}
      />
      <Field
        label="Deal status to write first (optional)"
        path={`${path}.dealStatus`}
        value={timeout?.dealStatus}
        kind={kind}
        readOnly={readOnly}
      />
    </div>
  );
}
