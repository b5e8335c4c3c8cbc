import { type EditorState, startEdits } from "./editor-edits";
import { clearProblems, type Problem, showProblems } from "./editor-problems";
import { buildTemplate, isField, valueAt } from "./editor-template";

/**
 * The process editor's script: builds the template JSON from the form and
 * PUTs it with the CSRF header, places validation problems next to their
 * fields and in a summary, previews email steps against the sample client
 * (debounced), shows only the trigger fields of the chosen trigger type, and
 * sends shape edits (add, remove, move a step, change its action, phases).
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object";
const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/** The problems an error answer of the process API carries (or one saying why there are none). */
function problemsOf(status: number, body: unknown): Problem[] {
  const answer = isObject(body) ? body : {};
  if (Array.isArray(answer.problems)) return answer.problems as Problem[];
  if (Array.isArray(answer.details)) {
    return answer.details.map((d: unknown) => (typeof d === "string" ? { path: "", message: d } : (d as Problem)));
  }
  const message = typeof answer.message === "string" && answer.message ? answer.message : null;
  return [{ path: "", message: message ?? `Saving failed (${status})` }];
}

function startEditor(form: HTMLFormElement, summary: HTMLElement, status: HTMLElement): void {
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
  // The draft the form started from, replaced by each shape edit (editor-edits.ts).
  const state: EditorState = { original: JSON.parse(document.getElementById("template-data")?.textContent || "null") };
  const templateId = form.dataset.templateId ?? "";
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };

  const showStatus = (text: string) => {
    status.textContent = text;
    status.hidden = false;
  };

  /** The history panel and heading as the server now renders them. */
  async function refreshPage(): Promise<void> {
    const res = await fetch(location.pathname, { headers: { accept: "text/html" } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const side = doc.querySelector(".editor-side");
    if (side) document.querySelector(".editor-side")?.replaceWith(side);
    const subtitle = doc.querySelector(".page-header p");
    const current = document.querySelector(".page-header p");
    if (subtitle && current) current.textContent = subtitle.textContent;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const template = buildTemplate(form, state.original);
    const buttons = document.querySelectorAll<HTMLButtonElement>('button[type="submit"]');
    for (const b of buttons) b.disabled = true;
    status.hidden = true;
    try {
      const url = `/api/process/templates/${encodeURIComponent(templateId)}`;
      const res = await fetch(url, { method: "PUT", headers, body: JSON.stringify(template) });
      const body: unknown = await res.json().catch(() => ({}));
      if (res.status === 201) {
        clearProblems(form, summary);
        state.original = template;
        // Checks skipped (a provider not connected or not answering) are said, not hidden.
        const warnings = isObject(body) && Array.isArray(body.warnings) ? ` ${body.warnings.join(" ")}` : "";
        showStatus(`Saved as version ${isObject(body) ? String(body.version) : ""}.${warnings}`);
        await refreshPage();
      } else showProblems(form, summary, problemsOf(res.status, body));
    } catch {
      showProblems(form, summary, [{ path: "", message: "Could not reach the server; nothing was saved." }]);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });

  startEdits(form, summary, state, showStatus, headers);
  form.classList.add("scripted"); // the editing tools work from here on (see editor-edits.tsx)

  form.addEventListener("change", (event) => {
    const el = event.target;
    if (!isField(el) || !/\.trigger\.type$/.test(el.dataset.path || "")) return;
    const fieldset = el.closest("[data-trigger]");
    for (const group of fieldset?.querySelectorAll<HTMLElement>("[data-trigger-group]") ?? []) {
      group.hidden = group.dataset.triggerGroup !== el.value;
    }
  });

  const timers = new Map<HTMLElement, number>();
  const latest = new Map<HTMLElement, number>();
  async function preview(stepEl: HTMLElement): Promise<void> {
    const base = stepEl.dataset.step ?? "";
    const region = stepEl.querySelector<HTMLElement>("[data-preview-region]");
    if (!region) return;
    const seq = (latest.get(stepEl) || 0) + 1;
    latest.set(stepEl, seq);
    const set = (selector: string, text: string, hidden?: boolean) => {
      const el = region.querySelector<HTMLElement>(selector);
      if (!el) return;
      el.textContent = text;
      if (hidden !== undefined) el.hidden = hidden;
    };
    let p: Json;
    try {
      const res = await fetch("/api/process/preview", {
        method: "POST",
        headers,
        body: JSON.stringify({
          subject: valueAt(form, base, ".inputs.subject"),
          body: valueAt(form, base, ".inputs.body"),
          stepId: stepEl.dataset.stepId,
          template: buildTemplate(form, state.original),
        }),
      });
      const answer: unknown = await res.json();
      p = isObject(answer) ? answer : {};
      if (!res.ok) throw new Error(typeof p.message === "string" && p.message ? p.message : "Preview failed");
    } catch (error) {
      if (latest.get(stepEl) !== seq) return;
      set("[data-preview-unknown]", `Preview unavailable: ${error instanceof Error ? error.message : ""}`, false);
      return;
    }
    if (latest.get(stepEl) !== seq) return;
    const unknown = strings(p.unknownFields);
    const empty = strings(p.emptyFields);
    set("[data-preview-subject]", typeof p.subject === "string" ? p.subject : "");
    set("[data-preview-body]", typeof p.body === "string" ? p.body : "");
    // The sandboxed frame shows the HTML part as sent (srcdoc: no request, no script, no origin).
    const frame = region.querySelector<HTMLIFrameElement>("[data-preview-html]");
    if (frame) frame.srcdoc = typeof p.html === "string" ? p.html : "";
    set("[data-preview-unknown]", unknown.length ? `Unknown merge fields: ${unknown.join(", ")}` : "", !unknown.length);
    set("[data-preview-empty]", empty.length ? `Still empty at this step: ${empty.join(", ")}` : "", !empty.length);
  }
  form.addEventListener("input", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLElement) || !el.dataset.preview) return;
    const stepEl = el.closest<HTMLElement>("[data-step]");
    if (!stepEl) return;
    clearTimeout(timers.get(stepEl));
    timers.set(
      stepEl,
      window.setTimeout(() => void preview(stepEl), 400),
    );
  });
}

const form = document.getElementById("process-editor");
const summary = document.getElementById("editor-summary");
const status = document.getElementById("editor-status");
if (form instanceof HTMLFormElement && summary && status) startEditor(form, summary, status);
