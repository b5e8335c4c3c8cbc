import { PROVIDERS, providerName } from "../../../integrations/registry";
import { withoutRetryAfter } from "../../runtime/platform";

/** A step error in plain words for the owner, with the raw message kept for details. */
export interface ExplainedError {
  summary: string;
  raw: string;
}

/** Providers by id, plus the template language's Google step prefixes (`gmail.send-email`, `calendar.create-event`). */
const SERVICE_NAMES: Record<string, string> = {
  ...Object.fromEntries(PROVIDERS.map((p) => [p, providerName(p)])),
  gmail: "Gmail",
  calendar: "Google Calendar",
};
const SERVICES = Object.keys(SERVICE_NAMES).join("|");
const NAMED_IN_MESSAGE = new RegExp(`\\b(${SERVICES})\\b`, "i");
const STEP_PREFIX = new RegExp(`^(${SERVICES})\\.`);

/** The provider a message names: `stripe answered 400`, or a step name like `stripe.create-invoice`. */
function providerOf(raw: string, stepName: string): string {
  const named = NAMED_IN_MESSAGE.exec(raw)?.[1]?.toLowerCase();
  const fromStep = STEP_PREFIX.exec(stepName)?.[1];
  const id = named ?? fromStep;
  return id ? (SERVICE_NAMES[id] ?? id) : "The service";
}

/** The provider's own words after `answered NNN:` (bounded, without our retry suffix). */
function detailOf(raw: string): string {
  const detail = /answered \d{3}:\s*(.*)$/s.exec(raw)?.[1] ?? "";
  return withoutRetryAfter(detail).trim().slice(0, 200);
}

/**
 * Turns the one-line error a step recorded (`IntegrationError: stripe
 * answered 429: …`, `ConnectionError: …`) into a sentence an owner can act
 * on. Unknown errors get a generic sentence; the raw text stays available.
 */
export function explainError(raw: string, stepName = ""): ExplainedError {
  const who = providerOf(raw, stepName);
  const status = Number(/answered (\d{3})/.exec(raw)?.[1] ?? 0);
  const detail = detailOf(raw);
  const say = (summary: string) => ({ summary, raw });
  if (/neither retried nor skipped within/.test(raw))
    return say("Nobody retried or skipped this step within 30 days, so the journey stopped.");
  if (/not approved within/.test(raw)) return say("The step was not approved in time, so the journey stopped.");
  if (/not reconnected within/.test(raw))
    return say(
      `${who} was not reconnected in time, so the journey stopped. Reconnect it, then start the journey again.`,
    );
  // Already written for the owner (sent-check.ts): what to look at, and what Skip and Retry do.
  const maybeSent = /EmailMaybeSentError: (.*)$/s.exec(raw)?.[1];
  if (maybeSent) return say(`${maybeSent.trim().slice(0, 700)}.`);
  // Written for the owner too (merge-holds.ts): which step a merge field names, and why it is empty.
  const unfilled = /UnfilledMergeFieldError: (.*)$/s.exec(raw)?.[1];
  if (unfilled) return say(`${unfilled.trim().slice(0, 700)}.`);
  if (
    /ConnectionError|connection_required|needs? (to be )?reconnect|invalid_grant|not connected/i.test(raw) ||
    status === 401
  )
    return say(
      `${who} needs to be reconnected: open Connections and connect it again. The journey goes on after that.`,
    );
  if (status === 429 || /rate.?limit|too many requests/i.test(raw))
    return say(`${who} asked us to slow down (too many requests). This is temporary: retry the step in a few minutes.`);
  if (status >= 500)
    return say(`${who} had a problem on its side (error ${status}). This is usually temporary: retry the step.`);
  if (status === 403)
    return say(
      `${who} refused the request: the connected account lacks a permission. Reconnect it with full access, then retry.`,
    );
  if (status === 404)
    return say(
      `${who} could not find something this step needs; it may have been deleted. Check it in ${who}, then retry or skip.`,
    );
  if (status === 409)
    return say(`${who} reported a conflict with existing data. Check it in ${who}, then retry or skip.`);
  // Before the generic 422: the deal needs fixing in HubSpot, then a retry reads it again (check-deal.ts).
  if (/nothing_to_invoice|no line items and no amount|no amount and no line items/i.test(raw))
    return say("The deal has no amount and no line items: add them in HubSpot, then retry.");
  if (status === 400 || status === 422 || /validation|ZodError|invalid/i.test(raw))
    return say(
      `${who} rejected the data we sent${detail ? ` (“${detail}”)` : ""}. Fix it in ${who} or in your process, then retry, or skip the step.`,
    );
  if (/timed? ?out|network|fetch failed|ECONN/i.test(raw))
    return say(`We could not reach ${who}. This is usually temporary: retry the step.`);
  return say("This step failed for a reason we did not recognise. The technical details are below.");
}
