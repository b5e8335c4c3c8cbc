import type { ProcessTemplate } from "../engine/template-schema";
import { ShapeTools } from "./editor-edits";
import { Field } from "./editor-fields";
import { PhaseEditor, type StepPreview } from "./editor-steps";

/**
 * The editor's form: the template's name and pipeline, its phases and
 * steps, and (when editable) the tools that change its shape. The page
 * renders it, and so does an edit of the draft, whose answer replaces it.
 */
export function EditorForm(props: {
  templateId: string;
  template: ProcessTemplate;
  previews: Map<string, StepPreview>;
  readOnly: boolean;
}) {
  const { template, readOnly, templateId } = props;
  const firstNumbers = template.phases.map((_, p) =>
    template.phases.slice(0, p).reduce((n, phase) => n + phase.steps.length, 1),
  );
  const total = template.phases.reduce((n, phase) => n + phase.steps.length, 0);
  return (
    <form
      id="process-editor"
      class="process-form"
      data-template-id={templateId}
      data-read-only={readOnly ? "true" : undefined}
      novalidate
    >
      <section class="card" aria-labelledby="template-title">
        <h2 id="template-title">Template</h2>
        <div class="grid-2">
          <Field label="Name" path="name" value={template.name} readOnly={readOnly} />
          <Field
            label="HubSpot pipeline (empty: deals of any pipeline without their own template)"
            path="pipeline"
            value={template.pipeline}
            optional
            readOnly={readOnly}
          />
        </div>
      </section>
      {!readOnly && <ShapeTools included={template.phases.map((p) => p.id)} />}
      {template.phases.map((phase, p) => (
        <PhaseEditor
          index={p}
          phase={phase}
          firstNumber={firstNumbers[p] ?? 1}
          previews={props.previews}
          readOnly={readOnly}
          total={total}
        />
      ))}
      {!readOnly && (
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">
            Save
          </button>
          <span class="muted small">
            Saving validates the whole template; nothing is saved while a problem remains.
          </span>
        </div>
      )}
    </form>
  );
}
