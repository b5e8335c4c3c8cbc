import { AppError } from "../errors";
import { escapeHtml } from "../ui/html";

/** Merge data: `{{group.field}}` looks up `data[group][field]`. */
export type MergeData = Record<string, Record<string, string | number | null | undefined>>;

const FIELD = /\{\{\s*([a-zA-Z]+)\.([a-zA-Z]+)\s*\}\}/g;

/** The merge fields a template uses, e.g. ["client.firstName"]. */
export function mergeFieldsIn(template: string): string[] {
  return [...template.matchAll(FIELD)].map((m) => `${m[1]}.${m[2]}`);
}

/** Throws naming the first field the data does not define. */
export function assertKnownFields(template: string, data: MergeData): void {
  for (const field of mergeFieldsIn(template)) {
    const [group, key] = field.split(".") as [string, string];
    const values = Object.hasOwn(data, group) ? data[group] : undefined;
    if (!values || !Object.hasOwn(values, key)) {
      throw new AppError("unknown_merge_field", `Unknown merge field {{${field}}}`, 422);
    }
  }
}

/**
 * Fills `{{group.field}}` from data. With `html`, values are escaped (the
 * template itself is trusted owner text). Unknown fields throw; empty values
 * render as "".
 */
export function renderTemplate(template: string, data: MergeData, options: { html: boolean }): string {
  assertKnownFields(template, data);
  return template.replace(FIELD, (_m, group: string, key: string) => {
    const value = data[group]?.[key];
    const text = value === null || value === undefined ? "" : String(value);
    return options.html ? escapeHtml(text) : text;
  });
}
