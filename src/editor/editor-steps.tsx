import { Badge } from "../dashboard/dashboard-layout";
import { ACTION_CATALOG } from "../engine/action-catalog";
import type { ProcessPhase, ProcessStep } from "../engine/template-schema";
import { ActionChoice, PhaseTools, StepTools } from "./editor-edits";
import { CheckField, Field, fieldId, SelectField } from "./editor-fields";
import { EmailPreview, InputField, type StepPreview } from "./editor-inputs";
import { describeTrigger, TriggerFields, UNITS } from "./editor-trigger";

export type { StepPreview } from "./editor-inputs";

/** One step: summary line, then its name, trigger, condition, approval, inputs and reminders. */
export function StepEditor(props: {
  phaseIndex: number;
  stepIndex: number;
  number: number;
  step: ProcessStep;
  preview?: StepPreview;
  readOnly: boolean;
  /** First or last step of the whole journey: it cannot move further that way. */
  first: boolean;
  last: boolean;
}) {
  const { step, readOnly } = props;
  const base = `phases.${props.phaseIndex}.steps.${props.stepIndex}`;
  const entry = ACTION_CATALOG[step.action];
  const inputs = [...entry.required, ...entry.optional];
  const extra = Object.keys(step.inputs).filter((k) => !(inputs as string[]).includes(k));
  return (
    <>
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
            <div>
              <ActionChoice base={base} stepId={step.id} action={step.action} readOnly={readOnly} />
              <p class="mono muted small">id {step.id}</p>
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
      {!readOnly && <StepTools stepId={step.id} name={step.name} first={props.first} last={props.last} />}
    </>
  );
}

/** A phase: its name and its steps in order, each collapsible. */
export function PhaseEditor(props: {
  index: number;
  phase: ProcessPhase;
  firstNumber: number;
  previews: Map<string, StepPreview>;
  readOnly: boolean;
  /** The number of steps in the whole journey (the last can't move down). */
  total: number;
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
          first={props.firstNumber + s === 1}
          last={props.firstNumber + s === props.total}
        />
      ))}
      {!readOnly && <PhaseTools index={index} phaseId={phase.id} name={phase.name} />}
    </section>
  );
}
