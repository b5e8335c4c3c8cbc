import type { ProcessStep } from "../engine/template-schema";
import { CheckField, Field, fieldId, SelectField } from "./editor-fields";

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
/** One input of a step, as its action's catalog entry names it. */
export function InputField(props: {
  base: string;
  step: ProcessStep;
  name: string;
  required: boolean;
  readOnly: boolean;
}) {
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

/** An email step's preview against the sample client, and the merge fields it may use. */
export function EmailPreview(props: { base: string; preview: StepPreview }) {
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
