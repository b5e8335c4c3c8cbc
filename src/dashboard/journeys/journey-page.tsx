import { raw } from "hono/html";
import type { JourneyReversal } from "../../store/journey-reversals";
import { Style } from "../../ui/style-tag";
import { API_FORMS_SCRIPT } from "../api-forms";
import { DashboardLayout, Notice, PageHeader, When } from "../dashboard-layout";
import { ActionButton, JOURNEY_STYLES, JourneyBadge, NextStepCell, StepBadge, timelineClass } from "./journey-ui";
import { type JourneySummary, type LastError, type StepView, waitingWords } from "./journey-view";
import { LIVE_STYLES, LiveStatus } from "./live-status";
import { RESOLVE_NOTICE, ReversalsSection } from "./reversals-section";
import { phaseWords } from "./step-labels";

/** The notices a successful action redirects back with (`?done=`). */
export const DONE_NOTICES = {
  pause: "The journey is paused. Nothing runs until you resume it.",
  resume: "The journey is running again.",
  cancel: "The journey is cancelled.",
  retry: "Retrying the step now. The timeline shows the result in a moment.",
  skip: "The step is skipped; the journey goes on.",
  approve: "Approved. The step runs now.",
  resolve: RESOLVE_NOTICE,
} as const;

export type DoneNotice = keyof typeof DONE_NOTICES;

/** The regions the live script refreshes in place (element ids). */
export const JOURNEY_LIVE_REGIONS = [
  "journey-actions",
  "journey-status",
  "journey-error",
  "journey-reversals",
  "journey-timeline",
];

/**
 * A journey that can still change by itself: not complete or cancelled, and
 * not failed for good (a failure held for the owner's retry or skip still is).
 */
export function journeyIsLive(journey: JourneySummary): boolean {
  if (journey.status === "complete" || journey.status === "cancelled") return false;
  return journey.status !== "failed" || journey.next?.waitingFor === "operator";
}

const JOURNEY_BUTTONS = {
  pause: { label: "Pause journey", tone: undefined },
  resume: { label: "Resume journey", tone: "primary" },
  cancel: { label: "Cancel journey", tone: "danger" },
} as const;

const STEP_BUTTONS = {
  approve: { label: "Approve", tone: "primary" },
  retry: { label: "Retry step", tone: "primary" },
  skip: { label: "Skip step", tone: undefined },
} as const;

/** /journeys/:id: the client's journey, its timeline, the last error in plain words, and the actions valid now. */
export function JourneyPage(props: {
  view: {
    journey: JourneySummary;
    steps: StepView[];
    lastError: LastError | null;
  };
  csrf: string;
  sandbox: boolean;
  done?: DoneNotice;
  error?: string;
  /** True once the client accepted the agreement: the page links its signed evidence pack. */
  agreementAccepted?: boolean;
  /** The journey's money reversals (open ones can be marked resolved). */
  reversals?: JourneyReversal[];
}) {
  const { journey, steps, lastError } = props.view;
  const base = `/journeys/${encodeURIComponent(journey.id)}`;
  const title = journey.clientName ?? `Deal ${journey.dealId}`;
  // The API forms' script goes only where there is a form for it.
  const reversals = props.reversals ?? [];
  const hasActions =
    journey.actions.length > 0 || steps.some((s) => s.actions.length > 0) || reversals.some((r) => !r.resolvedAt);
  return (
    <DashboardLayout title={`${title} · Clients`} section="journeys" csrf={props.csrf} sandbox={props.sandbox}>
      <Style css={JOURNEY_STYLES + LIVE_STYLES} />
      <p class="small">
        <a href="/journeys">← All clients</a>
      </p>
      <PageHeader title={title}>
        <div id="journey-actions">
          {journey.actions.map((a) => (
            <ActionButton
              action={`${base}/${a}`}
              api={`POST /api${base}/${a}`}
              done={DONE_NOTICES[a]}
              csrf={props.csrf}
              {...JOURNEY_BUTTONS[a]}
            />
          ))}
        </div>
      </PageHeader>
      <LiveStatus live={journeyIsLive(journey)} regions={JOURNEY_LIVE_REGIONS} every={2500} href={base} />
      <div aria-live="polite" data-api-notice="">
        {props.done && <Notice tone="info">{DONE_NOTICES[props.done]}</Notice>}
        {props.error && <Notice tone="error">{props.error}</Notice>}
      </div>
      <dl class="journey-meta" id="journey-status">
        <div>
          <dt>Status</dt>
          <dd>
            <JourneyBadge status={journey.status} />
            {journey.status === "paused" && (
              <span class="small muted">
                {" "}
                {journey.pausedFor === "owner" ? "by you" : `until ${journey.pausedFor} is reconnected`}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd>{phaseWords(journey.phase)}</dd>
        </div>
        <div>
          <dt>Deal</dt>
          <dd>
            {journey.dealUrl ? (
              <a href={journey.dealUrl} rel="noopener noreferrer" target="_blank">
                {journey.dealId} in HubSpot
              </a>
            ) : journey.contactUrl ? (
              <a href={journey.contactUrl} rel="noopener noreferrer" target="_blank">
                No deal yet: the contact in HubSpot
              </a>
            ) : (
              "Not in HubSpot yet"
            )}
          </dd>
        </div>
        <div>
          <dt>Next step</dt>
          <dd>
            <NextStepCell next={journey.next} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <When at={journey.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Last update</dt>
          <dd>
            <When at={journey.updatedAt} />
          </dd>
        </div>
        {props.agreementAccepted && (
          <div>
            <dt>Agreement</dt>
            <dd>
              <a href={`/api${base}/agreement-evidence`} download="">
                Agreement evidence (JSON)
              </a>
            </dd>
          </div>
        )}
      </dl>
      <div id="journey-error">
        {lastError && (
          <section class="card" aria-labelledby="last-error">
            <h2 id="last-error">What went wrong</h2>
            <p class="small muted">
              In the step <strong>{lastError.label}</strong>
              {lastError.label !== lastError.step && (
                <>
                  {" "}
                  <span class="mono step-raw">{lastError.step}</span>
                </>
              )}
            </p>
            <p>{lastError.summary}</p>
            <details>
              <summary>Technical details</summary>
              <pre class="mono">{lastError.raw}</pre>
            </details>
          </section>
        )}
      </div>
      <ReversalsSection reversals={reversals} base={base} csrf={props.csrf} />
      <section class="card" aria-labelledby="timeline" id="journey-timeline">
        <h2 id="timeline">Timeline</h2>
        {steps.length === 0 ? (
          <p class="muted">No steps have run yet.</p>
        ) : (
          phaseGroups(steps).map((group, i) => (
            <div class="timeline-group">
              {group.phase && (
                <p class="timeline-phase" id={`timeline-phase-${i}`}>
                  {group.phase}
                </p>
              )}
              <ol
                class="timeline"
                aria-labelledby={group.phase ? `timeline-phase-${i}` : undefined}
                aria-label={group.phase ? undefined : "Journey steps"}
              >
                {group.steps.map((s) => (
                  <StepEntry step={s} base={base} csrf={props.csrf} />
                ))}
              </ol>
            </div>
          ))
        )}
      </section>
      {hasActions && <script>{raw(API_FORMS_SCRIPT)}</script>}
    </DashboardLayout>
  );
}

/**
 * The timeline in runs of consecutive steps of one phase (in the order they
 * ran); the engine's own steps join the run they follow, and those before
 * any phase (reading the deal, loading the template) stand without a heading.
 */
export function phaseGroups(steps: StepView[]): Array<{ phase: string | null; steps: StepView[] }> {
  const groups: Array<{ phase: string | null; steps: StepView[] }> = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (last && (step.phase === null || step.phase === last.phase)) last.steps.push(step);
    else groups.push({ phase: step.phase, steps: [step] });
  }
  return groups;
}

function StepEntry(props: { step: StepView; base: string; csrf: string }) {
  const s = props.step;
  const stepBase = `${props.base}/steps/${encodeURIComponent(s.name)}`;
  const skipped = s.result && typeof s.result === "object" && "skipped" in s.result ? String(s.result.skipped) : null;
  return (
    <li class={timelineClass(s.status)} data-step={s.name}>
      <div class="step-head">
        <h3 class={s.label === s.name ? "mono" : undefined}>{s.label}</h3>
        {s.label !== s.name && <span class="mono step-raw">{s.name}</span>}
        <StepBadge status={s.status} />
        {skipped && <span class="small muted">skipped: {skipped}</span>}
      </div>
      <p class="step-facts">
        {s.attempts > 0 && `${s.attempts} ${s.attempts === 1 ? "attempt" : "attempts"} · `}
        started <When at={s.startedAt} />
        {s.finishedAt && (
          <>
            {" "}
            · finished <When at={s.finishedAt} />
          </>
        )}
        {s.status === "waiting" &&
          (s.dueAt ? (
            <>
              {" "}
              · due <When at={s.dueAt} />
            </>
          ) : (
            ` · waiting for ${waitingWords(s.waitingFor)}`
          ))}
      </p>
      {s.links.length > 0 && (
        <p class="step-links">
          {s.links.map((l) => (
            <a href={l.href} rel="noopener noreferrer" target={l.href.startsWith("/") ? undefined : "_blank"}>
              {l.label}
            </a>
          ))}
        </p>
      )}
      {s.error && (
        <div class="step-error">
          <p style="margin:0">{s.error.summary}</p>
          <details>
            <summary>Technical details</summary>
            <pre>{s.error.raw}</pre>
          </details>
        </div>
      )}
      {s.actions.length > 0 && (
        <div class="actions">
          {s.actions.map((a) => (
            <ActionButton
              action={`${stepBase}/${a}`}
              api={`POST /api${stepBase}/${a}`}
              done={DONE_NOTICES[a]}
              csrf={props.csrf}
              {...STEP_BUTTONS[a]}
            />
          ))}
        </div>
      )}
    </li>
  );
}
