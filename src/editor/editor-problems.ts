/** One problem of a template, placed: `path` is dotted (`phases.1.steps.3.inputs.subject`), "" for the whole template. */
export interface TemplateProblem {
  path: string;
  message: string;
}

const STEP_PLACE = /^phases\[(\d+)\]\.steps\[(\d+)\] \([^)]*\)((?:\.[\w[\]]+)*)$/;
const INPUT_NAMED = /(?:missing required input|unknown input|^input) "([^"]+)"/;

/** `reminders[0].subject` → `reminders.0.subject`. */
const dotted = (path: string) => path.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");

/**
 * Places each of `validateTemplate`'s messages (zod's `phases.0.steps.0.action: …`
 * and the checks' `phases[0].steps[2] (id).inputs.subject: …`) on a dotted
 * path the editor can put next to its field. Problems about an input name
 * the input; messages without a place belong to the whole template.
 */
export function placeProblems(errors: string[]): TemplateProblem[] {
  return errors.map((error) => {
    const split = error.indexOf(": ");
    if (split === -1) return { path: "", message: error };
    const place = error.slice(0, split);
    const message = error.slice(split + 2);
    const step = STEP_PLACE.exec(place);
    if (step) {
      const base = `phases.${step[1]}.steps.${step[2]}`;
      const rest = dotted(step[3] ?? "");
      const input = rest ? null : INPUT_NAMED.exec(message);
      if (input) return { path: `${base}.inputs.${input[1]}`, message };
      if (!rest && message.includes("notion.project.status_changed trigger"))
        return { path: `${base}.trigger.status`, message };
      // A step removed (or renamed by a change of action) that others run after: at their list of steps.
      if (!rest && message.startsWith("runs after unknown step")) return { path: `${base}.trigger.steps`, message };
      return { path: rest ? `${base}.${rest}` : base, message };
    }
    if (/^[\w.]+$/.test(place)) return { path: place === "template" ? "" : place, message };
    return { path: "", message: error };
  });
}
