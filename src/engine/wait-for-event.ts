import { syncStatusFromNotion } from "../fulfillment/sync-actions";
import { EVENT_SIGNALS, waitForSignal } from "../runtime/protocol";
import { type JourneyRun, runAction, StepSkippedError, updateJourneyStep } from "../runtime/run-step";
import { awaitingRow, finishedRow } from "../runtime/step-rows";
import { renderProcessText } from "./merge-context";
import { assertInvoiceFilled, renderOrHold } from "./merge-holds";
import type { StepContext } from "./step-executors";
import type { ProcessStep, ProcessTemplate, WaitTimeout } from "./template-schema";
import { UnmatchedEvents } from "./wait-bound";

const UNIT_MS = { hours: 3_600_000, days: 86_400_000, weeks: 604_800_000, months: 30 * 86_400_000 } as const;

/** The last wait of a step without a timeout of its own: a year, then the journey fails. */
export const DEFAULT_WAIT_TIMEOUT: WaitTimeout = { after: { amount: 365, unit: "days" }, outcome: "fail" };

/** How long the last wait lasts and what follows it. */
export const waitTimeoutOf = (step: ProcessStep): WaitTimeout =>
  (step.trigger.type === "event" ? step.trigger.timeout : undefined) ?? DEFAULT_WAIT_TIMEOUT;

/** The invoice the journey waits on: the last one a step created. */
function awaitedInvoice(ctx: StepContext): string | null {
  const invoices = Object.values(ctx.outputs).flatMap((o) => (typeof o.invoiceId === "string" ? [o.invoiceId] : []));
  return invoices.at(-1) ?? null;
}

/**
 * A reminder's texts, or null when a field it names cannot be filled and
 * the owner skipped it (held at the reminder's row, merge-holds.ts): that
 * reminder is not sent, the wait goes on.
 */
async function reminderTexts(
  run: JourneyRun,
  row: string,
  ctx: StepContext,
  render: () => { subject: string; body: string },
) {
  try {
    return await renderOrHold(run, row, ctx, render);
  } catch (error) {
    if (error instanceof StepSkippedError && error.step === row) return null;
    throw error;
  }
}

/**
 * Where the card stands against the status a step waits for: reached, passed
 * (a later status in the template's order: the card skipped ahead), or not yet.
 * Reading the card also runs the Notion→HubSpot sync for the change.
 */
async function cardAgainst(
  run: JourneyRun,
  stepName: string,
  ctx: StepContext,
  wanted: string | undefined,
  known?: string,
) {
  if (!ctx.cardPageId || !wanted) return "not_yet" as const;
  const status = known ?? (await runAction(run, syncStatusFromNotion, { pageId: ctx.cardPageId }, stepName)).status;
  if (status === wanted) return "reached" as const;
  const at = ctx.statusOrder.indexOf(status ?? "");
  return at > ctx.statusOrder.indexOf(wanted) && ctx.statusOrder.includes(wanted)
    ? ("passed" as const)
    : ("not_yet" as const);
}

/**
 * Waits for the step's event. While the gate is open, the step's reminder
 * rule sends up to `max` reminders, one per `after` interval; then it waits
 * on for the step's timeout (a year by default) and reports "timed_out":
 * the caller takes the timeout path. Events that do not match (another
 * invoice, a card moved to another status) are consumed and the wait goes
 * on; after MAX_UNMATCHED_EVENTS of them the wait is held for the owner
 * (wait-bound.ts). Step names, as journeys already took them:
 * `<name>.check-initial`, `.await`, `.wait-<round>`, `.check-<round>` (the
 * card read, only for an event about the journey's own card), `.received`.
 */
export async function awaitProcessEvent(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: StepContext,
  remind: (reminder: { subject: string; body: string }, n: number) => Promise<unknown>,
): Promise<Record<string, unknown> | "passed" | "timed_out"> {
  if (step.trigger.type !== "event") throw new Error("not an event trigger");
  const { event, status } = step.trigger;
  // A status the card already reached (or passed) needs no event: events are consumed once.
  if (event === "notion.project.status_changed") {
    // The previous step wrote the card and nothing waited since: its status is known, a read would only echo
    // it. A person's move after that write reaches the wait below as an event, as one after a read would.
    const known = typeof ctx.cardWritten === "string" ? ctx.cardWritten : undefined;
    const now = await cardAgainst(run, `${name}.check-initial`, ctx, status, known);
    if (now === "passed") return "passed";
    if (now === "reached") return { status: status ?? "" };
  }
  const rule = step.reminders[0];
  const last = waitTimeoutOf(step).after;
  await updateJourneyStep(run, `${name}.await`, { status: "waiting" }, () => [
    awaitingRow(run, name, { waitingFor: event }),
  ]);
  let sent = 0;
  const unmatched = new UnmatchedEvents(run, name, status ? `the card to reach “${status}”` : event);
  for (let round = 0; ; round++) {
    const remindLeft = rule !== undefined && sent < rule.max;
    const wait = remindLeft ? rule.after : last;
    const timeout = wait.amount * UNIT_MS[wait.unit];
    const received = await waitForSignal(run.step, `${name}.wait-${round}`, EVENT_SIGNALS[event], {
      timeout: Math.max(1000, timeout),
    });
    if (received.timedOut) {
      if (!remindLeft) return "timed_out";
      sent += 1;
      // Reminder texts may say which reminder this is ({{reminder.number}}).
      const data = { ...ctx.data, reminder: { number: sent } };
      const texts = await reminderTexts(run, `${name}.reminder-${sent}`, ctx, () => {
        assertInvoiceFilled([rule.subject, rule.body], ctx, step.id);
        return {
          // An unset client link stays a token for the send step to fill or fail on (sendClientEmail).
          subject: renderProcessText(rule.subject, data, ctx.outputs, { keepUnsetLinks: true }),
          body: renderProcessText(rule.body, data, ctx.outputs, { keepUnsetLinks: true }),
        };
      });
      if (texts) await remind(texts, sent);
      continue;
    }
    const payload: Record<string, unknown> = { ...received.payload };
    if (event === "stripe.invoice.paid" && payload.invoiceId !== awaitedInvoice(ctx)) {
      await unmatched.add();
      continue;
    }
    if (event === "notion.project.status_changed") {
      // Only a change of this journey's own card can bring its status: another page costs no card read.
      const now =
        payload.pageId === ctx.cardPageId ? await cardAgainst(run, `${name}.check-${round}`, ctx, status) : "not_yet";
      if (now === "passed") return "passed";
      if (now === "not_yet") {
        await unmatched.add();
        continue;
      }
    }
    await updateJourneyStep(run, `${name}.received`, { status: "running" }, () => [
      finishedRow(run, `${name}.event`, { status: "succeeded", result: { event } }),
    ]);
    return payload;
  }
}

/**
 * Card statuses in the order the template moves through them: the card's
 * first status, then every move and every status a step waits for (a card
 * past the awaited status "passed" it).
 */
export function statusOrder(template: ProcessTemplate): string[] {
  const order: string[] = [];
  for (const step of template.phases.flatMap((p) => p.steps)) {
    const moved =
      step.action === "notion.create-project-card" || step.action === "notion.move-card"
        ? step.inputs.status
        : undefined;
    const awaited = step.trigger.type === "event" ? step.trigger.status : undefined;
    for (const status of [moved, awaited])
      if (typeof status === "string" && !order.includes(status)) order.push(status);
  }
  return order;
}
