import { byPath, type Field } from "./editor-template";

/** A validation problem as the process API reports it: the template path it is about, and what is wrong. */
export interface Problem {
  path?: string;
  message: string;
}

/** The template path of a step (`phases.0.steps.2`) at the start of a problem's path. */
const STEP = /^phases\.\d+\.steps\.\d+/;

/** Takes every problem off the form: fields, step lists and badges, and the summary. */
export function clearProblems(form: HTMLFormElement, summary: HTMLElement): void {
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const hint = document.getElementById(`${el.id}-hint`);
    if (hint) el.setAttribute("aria-describedby", hint.id);
    else el.removeAttribute("aria-describedby");
  }
  for (const el of form.querySelectorAll<HTMLElement>("p.field-error[id], [data-step-errors], [data-step-problems]")) {
    el.hidden = true;
    el.textContent = "";
  }
  summary.hidden = true;
  summary.textContent = "";
}

/** The control a problem's path is about: the field itself, or the nearest field above it short of its step. */
function place(form: HTMLFormElement, path: string): Field | null {
  let p = path;
  while (p) {
    const el = byPath(form, p) || byPath(form, `${p}.type`);
    if (el) return el;
    if (form.querySelector(`[data-step="${p}"]`)) return null;
    p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
  }
  return null;
}

/** Shows one problem next to its field (or in its step's list); returns the id to link to and where it is. */
function placeProblem(form: HTMLFormElement, problem: Problem, i: number): { target: string | null; where: string } {
  const el = place(form, problem.path || "");
  const match = STEP.exec(problem.path || "");
  const stepEl = match ? form.querySelector<HTMLDetailsElement>(`[data-step="${match[0]}"]`) : null;
  let where = "Template";
  if (stepEl) {
    stepEl.open = true;
    where = `Step ${stepEl.querySelector(".step-title")?.textContent ?? ""}`;
  }
  const error = el && document.getElementById(`${el.id}-error`);
  if (el && error) {
    error.textContent = error.textContent ? `${error.textContent} ${problem.message}` : problem.message;
    error.hidden = false;
    el.setAttribute("aria-invalid", "true");
    const hint = document.getElementById(`${el.id}-hint`);
    el.setAttribute("aria-describedby", (hint ? `${hint.id} ` : "") + error.id);
    const label = el.labels?.[0]?.textContent ?? "";
    return { target: el.id, where: label ? `${where} · ${label}` : where };
  }
  const list = stepEl?.querySelector<HTMLElement>("[data-step-errors]");
  if (!list) return { target: null, where };
  const li = document.createElement("li");
  li.id = `problem-${i}`;
  li.textContent = problem.message;
  list.appendChild(li);
  list.hidden = false;
  return { target: li.id, where };
}

/**
 * Each problem next to its field (or its step), a count on each step, and all
 * of them in the summary under `heading`; the summary takes focus unless told not to.
 */
export function showProblems(
  form: HTMLFormElement,
  summary: HTMLElement,
  problems: Problem[],
  heading?: string,
  focus = true,
): void {
  clearProblems(form, summary);
  const list = document.createElement("ul");
  const counts = new Map<Element, number>();
  problems.forEach((problem, i) => {
    const match = STEP.exec(problem.path || "");
    const stepEl = match ? form.querySelector(`[data-step="${match[0]}"]`) : null;
    if (stepEl) counts.set(stepEl, (counts.get(stepEl) || 0) + 1);
    const { target, where } = placeProblem(form, problem, i);
    const item = document.createElement("li");
    const text = `${where}: ${problem.message}`;
    if (target) {
      const a = document.createElement("a");
      a.href = `#${target}`;
      a.textContent = text;
      item.appendChild(a);
    } else item.textContent = text;
    list.appendChild(item);
  });
  counts.forEach((n, stepEl) => {
    const badge = stepEl.querySelector<HTMLElement>("[data-step-problems]");
    if (!badge) return;
    badge.textContent = n + (n === 1 ? " problem" : " problems");
    badge.hidden = false;
  });
  const title = document.createElement("strong");
  const many = problems.length === 1 ? " problem." : " problems.";
  title.textContent = heading ?? `Not saved: the template has ${problems.length}${many}`;
  summary.append(title, list);
  summary.hidden = false;
  if (focus) summary.focus();
}
