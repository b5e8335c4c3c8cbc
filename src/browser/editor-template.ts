/** Reading the process editor's form back into template JSON (the editor's script, src/browser/editor.ts). */

/** A form control the editor reads (`data-path` marks the template field it edits). */
export type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object";

/** Whether an event target is a form control. */
export const isField = (el: EventTarget | null): el is Field =>
  el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;

/** The control editing template field `path`, if the form has one. */
export const byPath = (form: HTMLFormElement, path: string) => form.querySelector<Field>(`[data-path="${path}"]`);

/** The value of the control at `base + suffix`, "" when there is none. */
export const valueAt = (form: HTMLFormElement, base: string, suffix: string) =>
  byPath(form, base + suffix)?.value ?? "";

/** Sets `obj.a.b.0.c` (dot path), creating objects, or arrays before a numeric key, on the way. */
function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let o = obj;
  keys.forEach((key, i) => {
    if (!isObject(o[key])) o[key] = /^\d+$/.test(keys[i + 1] ?? last) ? [] : {};
    o = o[key] as Json;
  });
  o[last] = value;
}

/** Deletes `obj.a.b.c` (dot path) when every object on the way exists. */
function deletePath(obj: Json, path: string): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let o: unknown = obj;
  for (const key of keys) {
    o = (o as Json)[key];
    if (!isObject(o)) return;
  }
  delete (o as Json)[last];
}

function readTrigger(form: HTMLFormElement, base: string): Json {
  const value = (suffix: string) => valueAt(form, base, suffix);
  const type = value(".trigger.type");
  if (type === "event") {
    const t: Json = { type, event: value(".trigger.event") };
    const s = value(".trigger.status").trim();
    if (s) t.status = s;
    // The wait's timeout path (after the last reminder): present only when its wait is set.
    const after = value(".trigger.timeout.after.amount");
    if (after !== "") {
      const timeout: Json = {
        after: { amount: Number(after), unit: value(".trigger.timeout.after.unit") },
        outcome: value(".trigger.timeout.outcome"),
      };
      const dealStatus = value(".trigger.timeout.dealStatus").trim();
      if (dealStatus) timeout.dealStatus = dealStatus;
      t.timeout = timeout;
    }
    return t;
  }
  if (type === "delay") {
    const amount = value(".trigger.wait.amount");
    const wait = { amount: amount === "" ? null : Number(amount), unit: value(".trigger.wait.unit") };
    return { type, wait, from: value(".trigger.from") };
  }
  if (type === "after") {
    const steps = value(".trigger.steps")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    return { type, steps };
  }
  if (type === "date") return { type, at: value(".trigger.at").trim() };
  return { type: "after_previous" };
}

function readCondition(form: HTMLFormElement, base: string): Json | undefined {
  const c: Json = {};
  const name = valueAt(form, base, ".condition.lineItemNameContains").trim();
  const amount = valueAt(form, base, ".condition.dealAmountAtLeast");
  if (name) c.lineItemNameContains = name;
  if (amount !== "") c.dealAmountAtLeast = Number(amount);
  return Object.keys(c).length ? c : undefined;
}

/** The template as the form now has it: the loaded one with every field's value applied. */
export function buildTemplate(form: HTMLFormElement, original: unknown): Json {
  const t = JSON.parse(JSON.stringify(original)) as Json;
  for (const el of form.querySelectorAll<Field>("[data-path]")) {
    const path = el.dataset.path ?? "";
    const optional = el.dataset.optional === "true" || path.includes(".inputs.");
    const checked = el instanceof HTMLInputElement && el.checked;
    if (el.dataset.kind === "bool") {
      if (!checked && path.includes(".inputs.")) deletePath(t, path);
      else setPath(t, path, checked);
    } else if (el.dataset.kind === "number") {
      if (el.value !== "") setPath(t, path, Number(el.value));
      else if (optional) deletePath(t, path);
      else setPath(t, path, null);
    } else if (el.dataset.kind === "text") {
      if (el.value === "" && optional) deletePath(t, path);
      else setPath(t, path, el.value);
    }
  }
  for (const stepEl of form.querySelectorAll<HTMLElement>("[data-step]")) {
    const base = stepEl.dataset.step ?? "";
    setPath(t, `${base}.trigger`, readTrigger(form, base));
    const c = readCondition(form, base);
    if (c) setPath(t, `${base}.condition`, c);
    else deletePath(t, `${base}.condition`);
  }
  return t;
}
