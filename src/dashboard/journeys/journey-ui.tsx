import type { JourneyStatus } from "../../store/journeys";
import { Badge, type Tone, When } from "../dashboard-layout";
import type { NextStep, StepView } from "./journey-view";

/** Page-specific styles of the journey pages. */
export const JOURNEY_STYLES = `
.journey-meta{display:flex;gap:1.5rem;flex-wrap:wrap;margin:0 0 1rem;padding:0}.journey-meta div{min-width:8rem}
.journey-meta dt{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}.journey-meta dd{margin:.15rem 0 0}
.step-head{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}.step-head h3{font-size:1rem;margin:0}
.step-facts{margin:.3rem 0;font-size:.875rem;color:var(--muted)}.step-links{display:flex;gap:.75rem;flex-wrap:wrap;margin:.3rem 0}
.step-error{margin:.4rem 0;padding:.5rem .75rem;border-radius:6px;background:var(--err-bg);color:var(--err)}
.step-error pre{white-space:pre-wrap;font-size:.8rem;margin:.4rem 0 0;color:var(--ink)}
.step-raw{font-size:.75rem;color:var(--muted)}
.timeline-phase{margin:.75rem 0 .35rem;font-size:.8rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.timeline-group+.timeline-group .timeline-phase{margin-top:1rem}
form.inline{display:inline}.empty{text-align:center;padding:2rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

const JOURNEY_TONES: Record<JourneyStatus, Tone> = {
  running: "info",
  waiting: "info",
  paused: "warn",
  failed: "error",
  unpaid: "warn",
  complete: "ok",
  cancelled: "muted",
};

/** A journey status as a badge. */
export function JourneyBadge(props: { status: JourneyStatus }) {
  return <Badge tone={JOURNEY_TONES[props.status]}>{props.status}</Badge>;
}

const STEP_TONES: Record<StepView["status"], Tone> = {
  succeeded: "ok",
  failed: "error",
  waiting: "warn",
  running: "info",
};

/** A step status as a badge. */
export function StepBadge(props: { status: StepView["status"] }) {
  return <Badge tone={STEP_TONES[props.status]}>{props.status}</Badge>;
}

/** The class of a timeline entry (its dot's colour). */
export const timelineClass = (status: StepView["status"]) =>
  ({ succeeded: "ok", failed: "error", waiting: "warn", running: "info" })[status];

/** The next step and when it is due ("due <time>", or what it waits for). */
export function NextStepCell(props: { next: NextStep | null }) {
  const next = props.next;
  if (!next) return <span class="muted">—</span>;
  return (
    <div>
      <span title={next.step}>{next.stepLabel}</span>
      <div class="small muted">
        {next.dueAt ? (
          <>
            due <When at={next.dueAt} />
          </>
        ) : (
          next.label
        )}
      </div>
    </div>
  );
}

/**
 * A button in its own small form (POST with the CSRF token). With `api`
 * ("POST /api/…") the API forms' script sends it through the JSON API and
 * says `done` in the page's notice region; without JavaScript it posts to
 * `action` as before.
 */
export function ActionButton(props: {
  action: string;
  label: string;
  csrf: string;
  tone?: "primary" | "danger";
  api?: string;
  done?: string;
}) {
  const tone = props.tone ? ` btn-${props.tone}` : "";
  return (
    <form method="post" action={props.action} class="inline" data-api={props.api} data-api-done={props.done}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <button type="submit" class={`btn btn-small${tone}`}>
        {props.label}
      </button>
    </form>
  );
}
