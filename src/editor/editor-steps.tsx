import { Badge } from "../dashboard/dashboard-layout";
import { ACTION_CATALOG } from "../engine/action-catalog";
import type { ProcessPhase, ProcessStep } from "../engine/template-schema";
import { CheckField, Field, fieldId, SelectField } from "./editor-fields";
import { describeTrigger, TriggerFields, UNITS } from "./editor-trigger";

/** The rendered preview of one email step against the sample client, and the fields it may use. */
export interface StepPreview {
  subject: string | null;
  body: string | null;
  /** The HTML part, as the email sends it (shown in a sandboxed frame). */
  html: string | null;
  unknownFields: string[];
  emptyFields: string[];
  fields: string[];
}

const NUMBER_INPUTS = new Set(["percent", "dueDays", "inDays", "durationMinutes"]);
const LONG_INPUTS = new Set(["body", "checklist", "description", "properties"]);
const INPUT_LABELS: Record<string, string> = {
  subject: "Subject",
  body: "Body",
  to: "Send to (empty: the client)",
  marketing: "Marketing email: adds an unsubscribe header, skipped for clients who unsubscribed",
  percent: "Percent of the deal",
  dueDays: "Days to pay",
  description: "Description",
  status: "Status",
  stage: "Deal stage id",
  properties: "Deal properties (one clientflow_… name: value a line)",
  checklist: "Checklist (one item a line)",
  title: "Title",
  inDays: "Days from now",
  durationMinutes: "Duration (minutes)",
  question: "Question",
  name: "Name",
  amount: "Amount",
};
function InputField(props: { base: string; step: ProcessStep; name: string; required: boolean; readOnly: boolean }) {
  const { base, step, name, required, readOnly } = props;
  const path = `${base}.inputs.${name}`;
  const value = step.inputs[name];
  const label = `${INPUT_LABELS[name] ?? name}${required ? " (required)" : ""}`;
  if (name === "marketing")
    return <CheckField label={label} path={path} checked={value === true} readOnly={readOnly} />;
  if (name === "amount" && step.action === "stripe.create-invoice") {
    const options = [
      { value: "deal", label: "The whole deal" },
      { value: "deposit", label: "A deposit (percent below)" },
      { value: "balance", label: "The balance (100% minus the percent)" },
    ];
    return (
      <SelectField label={label} path={path} value={String(value ?? "deal")} options={options} readOnly={readOnly} />
    );
  }
  const number = NUMBER_INPUTS.has(name) || typeof value === "number";
  return (
    <Field
      label={label}
      path={path}
      value={typeof value === "boolean" ? String(value) : value}
      type={number ? "number" : "text"}
      multiline={!number && LONG_INPUTS.has(name)}
      rows={name === "body" ? 8 : 3}
      optional
      readOnly={readOnly}
      attrs={
        step.action === "gmail.send-email" && (name === "subject" || name === "body") ? { "data-preview": name } : {}
      }
    />
  );
}

function EmailPreview(props: { base: string; preview: StepPreview }) {
  const { preview, base } = props;
  const id = fieldId(`${base}.preview`);
  return (
    <section class="email-preview" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Preview for the sample client</h4>
      <div class="preview-live" aria-live="polite" data-preview-region={base}>
        <p class="preview-subject">
          <span class="muted small">Subject</span> <strong data-preview-subject="">{preview.subject ?? ""}</strong>
        </p>
        {/* The email exactly as sent: its HTML part in a frame with no scripts and no origin, then its text part. */}
        <iframe
          title="HTML part of the email"
          class="preview-frame"
          sandbox=""
          srcdoc={preview.html ?? ""}
          data-preview-html=""
        />
        <p class="muted small">Text part</p>
        <div class="preview" data-preview-body="">
          {preview.body ?? ""}
        </div>
        <p class="field-error" data-preview-unknown="" hidden={preview.unknownFields.length === 0 || undefined}>
          {preview.unknownFields.length > 0 && `Unknown merge fields: ${preview.unknownFields.join(", ")}`}
        </p>
        <p class="muted small" data-preview-empty="" hidden={preview.emptyFields.length === 0 || undefined}>
          {preview.emptyFields.length > 0 && `Still empty at this step: ${preview.emptyFields.join(", ")}`}
        </p>
      </div>
      <details class="merge-fields">
        <summary>Merge fields you can use ({preview.fields.length})</summary>
        <ul class="mono small">
          {preview.fields.map((f) => (
            <li>{`{{${f}}}`}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}

/** One step: summary line, then its name, trigger, condition, approval, inputs and reminders. */
export function StepEditor(props: {
  phaseIndex: number;
  stepIndex: number;
  number: number;
  step: ProcessStep;
  preview?: StepPreview;
  readOnly: boolean;
}) {
  const { step, readOnly } = props;
  const base = `phases.${props.phaseIndex}.steps.${props.stepIndex}`;
  const entry = ACTION_CATALOG[step.action];
  const inputs = [...entry.required, ...entry.optional];
  const extra = Object.keys(step.inputs).filter((k) => !(inputs as string[]).includes(k));
  return (
    <details class="step" data-step={base} data-step-id={step.id} data-action={step.action}>
      <summary>
        <span class="step-number">{props.number}</span>
        <span class="step-title">{step.name}</span>
        <span class="step-meta muted small">
          {entry.label} · {describeTrigger(step.trigger)}
        </span>
        {step.approval && <Badge tone="warn">Approval</Badge>}
        {step.condition && <Badge tone="info">Condition</Badge>}
        <span class="badge badge-error" data-step-problems="" hidden />
      </summary>
      <div class="step-body">
        <ul class="step-errors field-error" data-step-errors={base} hidden />
        <div class="grid-2">
          <Field label="Step name" path={`${base}.name`} value={step.name} readOnly={readOnly} />
          <div class="field">
            <span class="label">Action</span>
            <p class="action-name">
              {entry.label} <span class="mono muted">{step.action}</span>
              <span class="mono muted"> · id {step.id}</span>
            </p>
          </div>
        </div>
        <TriggerFields base={base} step={step} readOnly={readOnly} />
        <fieldset>
          <legend>Condition (optional: run only for matching deals)</legend>
          <div class="inline">
            <Field
              label="A line item's name contains"
              path={`${base}.condition.lineItemNameContains`}
              value={step.condition?.lineItemNameContains}
              kind="condition"
              readOnly={readOnly}
            />
            <Field
              label="Deal amount at least"
              path={`${base}.condition.dealAmountAtLeast`}
              type="number"
              value={step.condition?.dealAmountAtLeast}
              kind="condition"
              readOnly={readOnly}
            />
          </div>
        </fieldset>
        <CheckField
          label="Wait for my approval before this step runs"
          path={`${base}.approval`}
          checked={step.approval}
          readOnly={readOnly}
        />
        <div class={props.preview ? "email-grid" : undefined}>
          <fieldset>
            <legend>Inputs</legend>
            {inputs.length + extra.length === 0 && <p class="muted small">This action takes no inputs.</p>}
            {[...inputs, ...extra].map((name) => (
              <InputField
                base={base}
                step={step}
                name={name}
                required={(entry.required as readonly string[]).includes(name)}
                readOnly={readOnly}
              />
            ))}
          </fieldset>
          {props.preview && <EmailPreview base={base} preview={props.preview} />}
        </div>
        {step.reminders.map((r, i) => (
          <fieldset>
            <legend>
              Reminder {i + 1}: while {r.while}, up to {r.max} times
            </legend>
            <div class="inline">
              <Field
                label="Every"
                path={`${base}.reminders.${i}.after.amount`}
                type="number"
                value={r.after.amount}
                readOnly={readOnly}
              />
              <SelectField
                label="Unit"
                path={`${base}.reminders.${i}.after.unit`}
                value={r.after.unit}
                options={UNITS}
                readOnly={readOnly}
              />
            </div>
            <Field label="Subject" path={`${base}.reminders.${i}.subject`} value={r.subject} readOnly={readOnly} />
            <Field
              label="Body"
              path={`${base}.reminders.${i}.body`}
              value={r.body}
              multiline
              rows={4}
              readOnly={readOnly}
            />
          </fieldset>
        ))}
      </div>
    </details>
  );
}

/** A phase: its name and its steps in order, each collapsible. */
export function PhaseEditor(props: {
  index: number;
  phase: ProcessPhase;
  firstNumber: number;
  previews: Map<string, StepPreview>;
  readOnly: boolean;
}) {
  const { phase, index, readOnly } = props;
  return (
    <section class="card phase" aria-labelledby={fieldId(`phases.${index}.title`)} data-phase={phase.id}>
      <div class="phase-head">
        <h2 id={fieldId(`phases.${index}.title`)}>
          {phase.name} <span class="muted small mono">{phase.id}</span>
        </h2>
        <span class="muted small">
          {phase.steps.length} step{phase.steps.length === 1 ? "" : "s"}
        </span>
      </div>
      <Field label="Phase name" path={`phases.${index}.name`} value={phase.name} readOnly={readOnly} />
      {phase.steps.length === 0 && <p class="muted">No steps in this phase.</p>}
      {phase.steps.map((step, s) => (
        <StepEditor
          phaseIndex={index}
          stepIndex={s}
          number={props.firstNumber + s}
          step={step}
          preview={props.previews.get(step.id)}
          readOnly={readOnly}
        />
      ))}
    </section>
  );
}
