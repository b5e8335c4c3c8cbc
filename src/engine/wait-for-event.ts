import { NonRetryableError } from "cloudflare:workflows";
import { syncStatusFromNotion } from "../fulfillment/sync-actions";
import { EVENT_SIGNALS, waitForSignal } from "../runtime/protocol";
import { type JourneyRun, runAction, updateJourneyStep } from "../runtime/run-step";
import { markFinished, markWaiting } from "../runtime/step-rows";
import { renderProcessText } from "./merge-context";
import type { StepContext } from "./step-executors";
import type { ProcessStep } from "./template-schema";

const LONGEST_WAIT_MS = 365 * 86_400_000;
const UNIT_MS = { hours: 3_600_000, days: 86_400_000, weeks: 604_800_000, months: 30 * 86_400_000 } as const;

/** The invoice the journey waits on: the last one a step created. */
function awaitedInvoice(ctx: StepContext): string | null {
  const invoices = Object.values(ctx.outputs).flatMap((o) => (typeof o.invoiceId === "string" ? [o.invoiceId] : []));
  return invoices.at(-1) ?? null;
}

/**
 * Where the card stands against the status a step waits for: reached, passed
 * (a later status in the template's order: the card skipped ahead), or not yet.
 * Reading the card also runs the Notion→HubSpot sync for the change.
 */
async function cardAgainst(run: JourneyRun, stepName: string, ctx: StepContext, wanted: string | undefined) {
  if (!ctx.cardPageId || !wanted) return "not_yet" as const;
  const card = await runAction(run, syncStatusFromNotion, { pageId: ctx.cardPageId }, stepName);
  if (card.status === wanted) return "reached" as const;
  const at = ctx.statusOrder.indexOf(card.status ?? "");
  return at > ctx.statusOrder.indexOf(wanted) && ctx.statusOrder.includes(wanted)
    ? ("passed" as const)
    : ("not_yet" as const);
}

/**
 * Waits for the step's event. While the gate is open, the step's reminder
 * rule sends up to `max` reminders, one per `after` interval; then it waits
 * on quietly (up to a year). Events that do not match (another invoice, a
 * card moved to another status) are consumed and the wait goes on.
 */
export async function awaitProcessEvent(
  run: JourneyRun,
  name: string,
  step: ProcessStep,
  ctx: StepContext,
  remind: (reminder: { subject: string; body: string }, n: number) => Promise<unknown>,
): Promise<Record<string, unknown> | "passed"> {
  if (step.trigger.type !== "event") throw new Error("not an event trigger");
  const { event, status } = step.trigger;
  // A status the card already reached (or passed) needs no event: events are consumed once.
  if (event === "notion.project.status_changed") {
    const now = await cardAgainst(run, `${name}.check-initial`, ctx, status);
    if (now === "passed") return "passed";
    if (now === "reached") return { status: status ?? "" };
  }
  const rule = step.reminders[0];
  await updateJourneyStep(run, `${name}.await`, { status: "waiting" }, () => markWaiting(run, name));
  let sent = 0;
  for (let round = 0; ; round++) {
    const remindLeft = rule !== undefined && sent < rule.max;
    const timeout = remindLeft ? rule.after.amount * UNIT_MS[rule.after.unit] : LONGEST_WAIT_MS;
    const received = await waitForSignal(run.step, `${name}.wait-${round}`, EVENT_SIGNALS[event], {
      timeout: Math.max(1000, timeout),
    });
    if (received.timedOut) {
      if (!remindLeft) throw new NonRetryableError(`${name}: no ${event} within a year`);
      sent += 1;
      await remind(
        {
          subject: renderProcessText(rule.subject, ctx.data, ctx.outputs),
          body: renderProcessText(rule.body, ctx.data, ctx.outputs),
        },
        sent,
      );
      continue;
    }
    const payload: Record<string, unknown> = { ...received.payload };
    if (event === "stripe.invoice.paid" && payload.invoiceId !== awaitedInvoice(ctx)) continue;
    if (event === "notion.project.status_changed") {
      const now = await cardAgainst(run, `${name}.check-${round}`, ctx, status);
      if (now === "passed") return "passed";
      if (now === "not_yet") continue;
    }
    await updateJourneyStep(run, `${name}.received`, { status: "running" }, () =>
      markFinished(run, `${name}.event`, { status: "succeeded", result: { event } }),
    );
    return payload;
  }
}
