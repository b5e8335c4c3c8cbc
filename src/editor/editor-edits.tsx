import { ACTION_CATALOG, ACTION_NAMES } from "../engine/action-catalog";
import { PRESETS } from "../engine/presets";
import { PHASES } from "../engine/template-schema";
import { PHASE_NAMES } from "./edit-ops";
import { fieldId, SelectField } from "./editor-fields";

/** Every action a step may take, as the owner reads it. */
export const ACTION_OPTIONS = ACTION_NAMES.map((a) => ({ value: a, label: `${ACTION_CATALOG[a].label} (${a})` }));

/**
 * A button that asks the server to change the draft's shape (see edit-ops.ts).
 * `op` is the edit; `select`, the id of a select whose value is the edit's
 * action; `context`, words only a screen reader hears (with their leading
 * space), so each button's name is unique. The page's script sends it with
 * the draft and shows what comes back; without the script (which saves,
 * too) the editing tools stay hidden.
 */
export function EditButton(props: { op: Record<string, string>; label: string; context?: string; select?: string }) {
  return (
    <button type="button" class="btn btn-small" data-op={JSON.stringify(props.op)} data-op-select={props.select}>
      {props.label}
      {props.context && <span class="visually-hidden">{props.context}</span>}
    </button>
  );
}

/** Moving and removing a step, under its summary. */
export function StepTools(props: { stepId: string; name: string; first: boolean; last: boolean }) {
  const { stepId, name } = props;
  return (
    <div class="step-tools" data-requires-script="">
      {!props.first && (
        <EditButton op={{ kind: "move-step", stepId, direction: "up" }} label="Move up" context={` (${name})`} />
      )}
      {!props.last && (
        <EditButton op={{ kind: "move-step", stepId, direction: "down" }} label="Move down" context={` (${name})`} />
      )}
      <EditButton op={{ kind: "remove-step", stepId }} label="Remove" context={` step ${name}`} />
    </div>
  );
}

/** A step's action: a choice of the catalog's actions, applied by the button (the inputs then follow it). */
export function ActionChoice(props: { base: string; stepId: string; action: string; readOnly: boolean }) {
  const path = `${props.base}.action`;
  return (
    <div class="action-choice">
      <SelectField
        label="Action"
        path={path}
        value={props.action}
        options={ACTION_OPTIONS}
        kind="edit"
        readOnly={props.readOnly}
      />
      {!props.readOnly && (
        <span data-requires-script="">
          <EditButton
            op={{ kind: "set-action", stepId: props.stepId }}
            label="Change action"
            context=" (its inputs start empty)"
            select={fieldId(path)}
          />
        </span>
      )}
    </div>
  );
}

/** Under a phase's steps: adding a step of a chosen action, and leaving the phase out. */
export function PhaseTools(props: { index: number; phaseId: string; name: string }) {
  const select = fieldId(`phases.${props.index}.new-step-action`);
  return (
    <div class="phase-tools" data-requires-script="">
      <div class="field">
        <label for={select}>Action of a new step in {props.name}</label>
        <select id={select}>
          {ACTION_OPTIONS.map((o) => (
            <option value={o.value}>{o.label}</option>
          ))}
        </select>
      </div>
      <EditButton
        op={{ kind: "add-step", phase: props.phaseId }}
        label="Add a step"
        context={` to ${props.name}`}
        select={select}
      />
      <EditButton
        op={{ kind: "leave-out-phase", phase: props.phaseId }}
        label="Leave out this phase"
        context={` (${props.name}, with its steps)`}
      />
    </div>
  );
}

/** The journey phases the template leaves out, each to include (in the fixed journey order), and starting over. */
export function ShapeTools(props: { included: readonly string[] }) {
  const missing = PHASES.filter((p) => !props.included.includes(p));
  return (
    <section class="card" aria-labelledby="shape-title" data-requires-script="">
      <h2 id="shape-title">Phases and presets</h2>
      <p class="muted small">
        A journey runs its phases in a fixed order: {PHASES.map((p) => PHASE_NAMES[p]).join(", ")}. Changes here are not
        saved until you save.
      </p>
      {missing.length > 0 && (
        <div class="actions">
          {missing.map((p) => (
            <EditButton op={{ kind: "include-phase", phase: p }} label={`Include ${PHASE_NAMES[p]}`} />
          ))}
        </div>
      )}
      <div class="actions">
        {Object.keys(PRESETS).map((preset) => (
          <EditButton
            op={{ kind: "start-from", preset }}
            label={preset === "default" ? "Start from the default process" : "Start from the onboarding-only preset"}
          />
        ))}
      </div>
    </section>
  );
}
