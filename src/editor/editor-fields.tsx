import type { Child } from "hono/jsx";

/** The element id of the control editing a template path (`phases.1.steps.0.name` → `f-phases-1-steps-0-name`). */
export const fieldId = (path: string) => `f-${path.replace(/[^a-zA-Z0-9]+/g, "-")}`;

/**
 * How the page's script reads a control back into the template: `text`
 * (empty removes an optional key), `number`, `bool` (checkbox), or built by
 * the step (`trigger`, `condition`). `edit` is chosen here but applied by an
 * edit of the draft (a step's action: its inputs change with it).
 */
export type FieldKind = "text" | "number" | "bool" | "trigger" | "condition" | "edit";

interface FieldProps {
  label: string;
  path: string;
  value: string | number | undefined;
  kind?: FieldKind;
  /** Empty means "leave it out" (an optional input or key). */
  optional?: boolean;
  multiline?: boolean;
  rows?: number;
  hint?: string;
  type?: string;
  readOnly?: boolean;
  attrs?: Record<string, string>;
}

/** A labelled control bound to a template path, with a slot for its validation error. */
export function Field(props: FieldProps) {
  const id = fieldId(props.path);
  const common = {
    id,
    name: props.path,
    "data-path": props.path,
    "data-kind": props.kind ?? (props.type === "number" ? "number" : "text"),
    "data-optional": props.optional ? "true" : undefined,
    readonly: props.readOnly || undefined,
    "aria-describedby": props.hint ? `${id}-hint` : undefined,
    ...props.attrs,
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 6}>
          {props.value ?? ""}
        </textarea>
      ) : (
        <input {...common} type={props.type ?? "text"} value={props.value === undefined ? "" : String(props.value)} />
      )}
      {props.hint && (
        <p class="hint muted small" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <p class="field-error" id={`${id}-error`} hidden />
    </div>
  );
}

/** A labelled select bound to a template path. */
export function SelectField(props: {
  label: string;
  path: string;
  value: string | undefined;
  options: readonly (string | { value: string; label: string })[];
  kind?: FieldKind;
  readOnly?: boolean;
  attrs?: Record<string, string>;
}) {
  const id = fieldId(props.path);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.path}
        data-path={props.path}
        data-kind={props.kind ?? "text"}
        disabled={props.readOnly || undefined}
        {...props.attrs}
      >
        {props.options.map((o) => {
          const option = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          );
        })}
      </select>
      <p class="field-error" id={`${id}-error`} hidden />
    </div>
  );
}

/** A checkbox bound to a boolean template path. */
export function CheckField(props: { label: Child; path: string; checked: boolean; readOnly?: boolean }) {
  const id = fieldId(props.path);
  return (
    <div class="field check">
      <input
        type="checkbox"
        id={id}
        name={props.path}
        data-path={props.path}
        data-kind="bool"
        checked={props.checked}
        disabled={props.readOnly || undefined}
      />
      <label for={id}>{props.label}</label>
      <p class="field-error" id={`${id}-error`} hidden />
    </div>
  );
}
