import { clearProblems, type Problem, showProblems } from "./editor-problems";
import { buildTemplate } from "./editor-template";

/**
 * The editor's shape edits (src/editor/edit-ops.ts): a button carrying
 * `data-op` sends the draft as the form has it and the edit to the page's
 * edit route; the answer's form replaces the form's contents, and its
 * problems show at their fields. Nothing is saved until the owner saves.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object";

/** What the editor keeps between edits: the draft the form started from. */
export interface EditorState {
  original: unknown;
}

/** Brings the edited step (or the button that moved it) back into view and focus after the form is replaced. */
function refocus(form: HTMLFormElement, opText: string, stepId: string | null, phase: string | null): void {
  const same = [...form.querySelectorAll<HTMLButtonElement>("button[data-op]")].find((b) => b.dataset.op === opText);
  if (same) {
    same.focus();
    return;
  }
  const step = stepId ? form.querySelector<HTMLDetailsElement>(`details[data-step-id="${stepId}"]`) : null;
  if (step) {
    step.open = true;
    step.querySelector<HTMLElement>("summary")?.focus();
    return;
  }
  // The step is gone (removed): its phase's heading, or the first heading, takes focus rather than the page.
  const heading = form.querySelector<HTMLElement>(`[data-phase="${phase}"] h2`) ?? form.querySelector("h2");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** Wires the edit buttons of `form` (delegated, so buttons of a replaced form work too). */
export function startEdits(
  form: HTMLFormElement,
  summary: HTMLElement,
  state: EditorState,
  showStatus: (text: string) => void,
  headers: Record<string, string>,
): void {
  const templateId = form.dataset.templateId ?? "";
  let busy = false;
  form.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-op]") : null;
    if (!button || busy) return;
    event.preventDefault();
    const opText = button.dataset.op ?? "{}";
    const phase = button.closest<HTMLElement>("[data-phase]")?.dataset.phase ?? null;
    const op = JSON.parse(opText) as Json;
    const select = button.dataset.opSelect ? document.getElementById(button.dataset.opSelect) : null;
    if (select instanceof HTMLSelectElement) op.action = select.value;
    busy = true;
    try {
      const res = await fetch(`/process/${encodeURIComponent(templateId)}/edit`, {
        method: "POST",
        headers,
        body: JSON.stringify({ template: buildTemplate(form, state.original), op }),
      });
      const body: unknown = await res.json().catch(() => ({}));
      const answer = isObject(body) ? body : {};
      const problems = Array.isArray(answer.problems) ? (answer.problems as Problem[]) : [];
      if (res.status !== 200 || typeof answer.form !== "string") {
        const message = typeof answer.message === "string" ? answer.message : `The edit failed (${res.status})`;
        showProblems(form, summary, problems.length ? problems : [{ path: "", message }], message);
        return;
      }
      const fresh = new DOMParser().parseFromString(answer.form, "text/html").getElementById("process-editor");
      if (!fresh) return;
      form.replaceChildren(...fresh.childNodes);
      state.original = answer.template;
      clearProblems(form, summary);
      showStatus(`${button.textContent?.trim() ?? "Changed"}: done. Not saved yet: save to keep it.`);
      if (problems.length) {
        showProblems(form, summary, problems, "Not saved yet. The draft has problems to fix before saving:", false);
      }
      refocus(form, opText, typeof answer.stepId === "string" ? answer.stepId : null, phase);
    } catch {
      showProblems(form, summary, [{ path: "", message: "Could not reach the server; nothing changed." }]);
    } finally {
      busy = false;
    }
  });
}
