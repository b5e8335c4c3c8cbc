import { SURVEY_LIMITS } from "../../surveys/surveys";
import { HostedPage } from "../hosted-page";

const SCORES = Array.from({ length: SURVEY_LIMITS.maxScore + 1 }, (_, i) => i);

/** The 0–10 scale's end labels (NPS wording). */
const END_LABELS = { low: "Not at all likely", high: "Extremely likely" } as const;

/** The survey's own rules on top of the hosted frame's base: the 0–10 scale as large, focusable targets. */
const SURVEY_STYLES = `fieldset{border:0;padding:0;margin:1.5rem 0}legend{font-weight:600;font-size:1.1rem;margin-bottom:.25rem}
.hint{margin:.25rem 0 .75rem}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale label{display:inline-flex;align-items:center;justify-content:center;min-width:2.75rem;min-height:2.75rem;border:1px solid #6b7280;border-radius:6px;cursor:pointer;font-weight:600}
.scale input:checked+label{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.scale input:focus-visible+label{outline:3px solid #1d4ed8;outline-offset:2px}
.ends{display:flex;justify-content:space-between;max-width:35rem;color:#4b5563;font-size:.85rem;margin-top:.35rem}
label.block{display:block;font-weight:600;margin-bottom:.25rem}`;

/**
 * The survey form: the question as the legend of a 0–10 radio group whose
 * ends are labelled, and an optional comment. Re-rendered with the client's
 * values and an alert when the answer is refused.
 */
export function SurveyFormPage(props: {
  business: string;
  question: string;
  error?: string;
  score?: number;
  comment?: string;
}) {
  const describedBy = props.error ? "scale-hint survey-error" : "scale-hint";
  return (
    <HostedPage title="Your feedback" business={props.business} styles={SURVEY_STYLES}>
      <h1>How did we do?</h1>
      {props.error && (
        <p class="note error" role="alert" id="survey-error">
          {props.error}
        </p>
      )}
      <form method="post" novalidate>
        <fieldset aria-describedby={describedBy}>
          <legend>{props.question}</legend>
          <p class="hint" id="scale-hint">
            Choose a number from 0 ({END_LABELS.low}) to 10 ({END_LABELS.high}).
          </p>
          <div class="scale">
            {SCORES.map((n) => (
              <>
                <input
                  type="radio"
                  id={`score-${n}`}
                  name="score"
                  value={String(n)}
                  required
                  checked={props.score === n}
                />
                <label for={`score-${n}`}>
                  {n}
                  {n === 0 && <span class="sr-only"> ({END_LABELS.low})</span>}
                  {n === SURVEY_LIMITS.maxScore && <span class="sr-only"> ({END_LABELS.high})</span>}
                </label>
              </>
            ))}
          </div>
          <div class="ends" aria-hidden="true">
            <span>{END_LABELS.low}</span>
            <span>{END_LABELS.high}</span>
          </div>
        </fieldset>
        <label class="block" for="comment">
          Anything you would like to tell us? <span class="hint">(optional)</span>
        </label>
        <textarea
          id="comment"
          name="comment"
          rows={5}
          maxlength={SURVEY_LIMITS.commentChars}
          aria-describedby="comment-hint"
        >
          {props.comment ?? ""}
        </textarea>
        <p class="hint" id="comment-hint">
          Up to {SURVEY_LIMITS.commentChars.toLocaleString("en-US")} characters.
        </p>
        <button type="submit" class="button primary">
          Send my answer
        </button>
      </form>
    </HostedPage>
  );
}

/** After answering, or on a link whose survey was already answered. */
export function SurveyDonePage(props: { business: string; already: boolean }) {
  return (
    <HostedPage title="Thank you" business={props.business}>
      <h1>{props.already ? "You have already answered" : "Thank you!"}</h1>
      <p role="status">
        {props.already
          ? "We already have your answer to this survey, so nothing was changed. Thank you for taking the time."
          : "Your answer has been recorded. Thank you for taking the time to tell us."}
      </p>
    </HostedPage>
  );
}

/** A survey link that is malformed or unknown, or a failure on our side. */
export function SurveyErrorPage(props: { title: string; message: string }) {
  return (
    <HostedPage title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </HostedPage>
  );
}
