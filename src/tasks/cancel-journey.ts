import { z } from "zod";
import { notion } from "../../integrations/notion";
import { stripe } from "../../integrations/stripe";
import type { UndoneInvoice } from "../../integrations/stripe/actions/void-invoice";
import { type AppStepContext, defineAppStep, runStepAction, type StepAction } from "../connections/action-context";
import { type AgreementUndo, withdrawAgreement } from "../contracts/withdraw";
import type { AppEnv } from "../env";
import { ConnectionError } from "../errors";
import { describeError, log } from "../log";
import { type JourneyRun, recordStep, runAction } from "../runtime/run-step";
import { findContractByJourney } from "../store/contracts";
import { findJourneyCard } from "../store/journey-cards";
import { listJourneyInvoices } from "../store/journey-invoices";
import { markStepFinished } from "../store/journey-steps";
import { findJourney } from "../store/journeys";

/** An undo that could not run because its provider is not connected (the owner undoes it there by hand). */
type NotConnected = { outcome: "not-connected" };

/**
 * Runs a provider undo inside an app step that reports a missing connection
 * instead of throwing it: `runAction` would otherwise pause the (cancelled)
 * journey and wait for a reconnect signal that is sent to the journey's
 * instance, never to this task.
 */
async function unlessDisconnected<I extends z.ZodType, O>(
  ctx: AppStepContext,
  action: StepAction<I, O>,
  input: z.input<I>,
): Promise<O | NotConnected> {
  try {
    return await runStepAction(ctx.env, action, ctx, input);
  } catch (error) {
    if (error instanceof ConnectionError) return { outcome: "not-connected" };
    throw error;
  }
}

const undoInvoice = defineAppStep({
  id: "cancel.void-invoice",
  idempotent: "natural",
  input: z.object({ invoiceId: z.string() }),
  run: (ctx, input): Promise<UndoneInvoice | NotConnected> =>
    unlessDisconnected(ctx, stripe.actions.voidInvoice, input),
});

const undoCard = defineAppStep({
  id: "cancel.archive-card",
  idempotent: "natural",
  input: z.object({ pageId: z.string() }),
  run: (ctx, input): Promise<{ pageId: string; outcome: "archived" | "gone" } | NotConnected> =>
    unlessDisconnected(ctx, notion.actions.archiveCard, input),
});

/** What a cancelled journey had made that can be undone, read once (a durable step) when the undo starts. */
interface UndoPlan {
  invoices: { invoiceId: string; purpose: string }[];
  agreement: boolean;
  pageId: string | null;
}

/** How one undo ended: done (with what happened), or failed for good (its row holds the error). */
type Undone<T> = { ok: true; value: T } | { ok: false };

/** The words an invoice goes by in the summary: its number once finalized, else its id. */
const invoiceName = (invoice: { invoiceId: string; number?: string | null }) =>
  invoice.number ? `#${invoice.number}` : invoice.invoiceId;

/**
 * The journey's invoices: those it recorded as its own (`journey_invoices`),
 * plus the one it last waited on (`journeys.invoice_id`, set on journeys
 * older than that table).
 */
async function planOf(env: AppEnv, journeyId: string): Promise<UndoPlan> {
  const invoices = await listJourneyInvoices(env.DB, journeyId);
  const journey = await findJourney(env.DB, journeyId);
  if (journey?.invoiceId && !invoices.some((i) => i.invoiceId === journey.invoiceId))
    invoices.push({ invoiceId: journey.invoiceId, purpose: "invoice" });
  const card = await findJourneyCard(env.DB, journeyId);
  const contract = await findContractByJourney(env.DB, journeyId);
  return { invoices, agreement: contract !== null, pageId: card?.pageId ?? null };
}

/** Runs one undo as its own step; a failure for good is logged and reported in the summary, the others still run. */
async function attempt<T>(run: JourneyRun, what: string, undo: () => Promise<T>): Promise<Undone<T>> {
  try {
    return { ok: true, value: await undo() };
  } catch (error) {
    const reason = describeError(error);
    log.warn("cancel: an undo failed", { tenant: run.workspaceId, journeyId: run.journeyId, step: what, reason });
    return { ok: false };
  }
}

/**
 * The summary row's words: "Cancelled: voided invoice #CF-0001, withdrew the
 * agreement, archived the card; left the paid invoice #CF-0002 as is".
 */
export function cancelSummary(
  invoices: { undone: Undone<UndoneInvoice | NotConnected>; invoiceId: string }[],
  agreement: Undone<{ outcome: AgreementUndo }> | null,
  card: Undone<{ outcome: "archived" | "gone" } | NotConnected> | null,
): string {
  const done: string[] = [];
  const left: string[] = [];
  for (const { undone, invoiceId } of invoices) {
    if (!undone.ok) left.push(`could not undo invoice ${invoiceId} (see its row)`);
    else if (undone.value.outcome === "not-connected")
      left.push(`could not void invoice ${invoiceId}: Stripe is not connected (void it in Stripe)`);
    else if (undone.value.outcome === "voided") done.push(`voided invoice ${invoiceName(undone.value)}`);
    else if (undone.value.outcome === "deleted") done.push(`deleted the draft invoice ${invoiceId}`);
    else left.push(`left the paid invoice ${invoiceName(undone.value)} as is (refund in Stripe if needed)`);
  }
  if (agreement && !agreement.ok) left.push("could not withdraw the agreement (see its row)");
  else if (agreement?.value.outcome === "withdrawn") done.push("withdrew the agreement");
  else if (agreement?.value.outcome === "accepted") left.push("left the signed agreement as is");
  if (card && !card.ok) left.push("could not archive the card (see its row)");
  else if (card?.value.outcome === "not-connected") left.push("could not archive the card: Notion is not connected");
  else if (card?.ok) done.push(card.value.outcome === "archived" ? "archived the card" : "found the card already gone");
  if (done.length === 0 && left.length === 0) return "Cancelled: there was nothing to undo";
  return `Cancelled: ${[done.join(", "), left.join(", ")].filter(Boolean).join("; ")}`;
}

/**
 * Undoes what a cancelled journey did, each undo its own durable step with
 * a row on the timeline (`<prefix>.invoice.<id>`, `<prefix>.agreement`,
 * `<prefix>.card`), then one summary row (`<prefix>.summary`). Every undo
 * reads before it writes, so a retried step changes nothing twice.
 */
export async function undoJourney(run: JourneyRun, prefix: string): Promise<string> {
  const plan = await recordStep(run, `${prefix}.plan`, () => planOf(run.env, run.journeyId));
  const invoices = [];
  for (const { invoiceId, purpose } of plan.invoices) {
    const name = `${prefix}.invoice.${invoiceId}`;
    const label = `Cancel — void the ${purpose === "deal" || purpose === "invoice" ? "" : `${purpose} `}invoice`;
    const undone = await attempt(run, name, () => runAction(run, undoInvoice, { invoiceId }, name, label));
    invoices.push({ invoiceId, undone });
  }
  const agreement = plan.agreement
    ? await attempt(run, `${prefix}.agreement`, () =>
        runAction(run, withdrawAgreement, {}, `${prefix}.agreement`, "Cancel — withdraw the agreement"),
      )
    : null;
  const pageId = plan.pageId;
  const card = pageId
    ? await attempt(run, `${prefix}.card`, () =>
        runAction(run, undoCard, { pageId }, `${prefix}.card`, "Cancel — archive the project card"),
      )
    : null;
  const summary = cancelSummary(invoices, agreement, card);
  await recordStep(run, `${prefix}.summary`, async () => {
    await markStepFinished(
      run.env.DB,
      run.journeyId,
      `${prefix}.summary`,
      { status: "succeeded", result: { summary } },
      summary,
    );
    return null;
  });
  log.info("journey undone after cancel", { tenant: run.workspaceId, journeyId: run.journeyId });
  return summary;
}
