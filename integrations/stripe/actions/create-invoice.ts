import { z } from "zod";
import { type ActionContext, mayHaveWrittenBefore } from "../../core/context";
import { defineAction } from "../../core/define";
import { IntegrationError } from "../../core/errors";
import { autoPage, withStripe } from "../client";
import { attemptKey, InvoiceMaybeSentError, outcomeUnknown, roundKey, stepOf } from "../idempotency";
import type { StripeInvoice } from "../schemas";

/** What an invoice is made of: the customer, currency, terms and lines. */
export const invoiceInput = z.object({
  customerId: z.string().startsWith("cus_"),
  currency: z.string().length(3),
  daysUntilDue: z.number().int().min(0).max(365),
  description: z.string().max(500),
  /** Amounts in minor units; at least one line. */
  lines: z
    .array(z.object({ description: z.string().min(1).max(500), amount: z.number().int().min(0) }))
    .min(1)
    .max(250),
  metadata: z.record(z.string(), z.string().max(500)),
  /** A fixed due date (YYYY-MM-DD, an instalment's); `daysUntilDue` applies when it has passed. */
  dueDate: z.iso.date().optional(),
  /** Stripe emails the finalized invoice to the customer (POST /v1/invoices/{id}/send). */
  send: z.boolean().optional(),
  /** Stripe Tax computes the invoice's tax (`automatic_tax[enabled]`), for accounts that use it. */
  automaticTax: z.boolean().optional(),
});

/** The step's output: small JSON about the finalized invoice. */
export interface CreatedInvoice {
  invoiceId: string;
  invoiceUrl: string;
  number: string | null;
  amountDue: number;
  currency: string;
  dueDate: string | null;
}

/** Metadata that ties an invoice to the journey step that made it, and an item to its line. */
const JOURNEY = "clientflow_journey_id";
const STEP = "clientflow_step";
const LINE = "clientflow_line";
/** How many of the customer's invoices (newest first) are searched for one this step made. */
const SEARCH_LIMIT = 1_000;

/**
 * Draft invoice → one invoice item per line → finalize. Stripe saves the
 * first answer to an Idempotency-Key, a 500 included, and replays it for 24
 * hours (https://docs.stripe.com/api/idempotent_requests), so a retry under
 * the same keys could never succeed. Instead each run of the step first
 * finds what an earlier run made (the invoice by its journey and step
 * metadata, its items by line index): a finalized invoice is returned, a
 * draft is completed with only the missing items; only what is missing is
 * created, under keys that carry the attempt (see `attemptKey`).
 */
export const createInvoice = defineAction({
  id: "stripe.create-invoice",
  idempotent: "search",
  input: invoiceInput,
  async run(ctx, input): Promise<CreatedInvoice> {
    const step = stepOf(ctx);
    // Only a run after another one of this step can find its invoice (the first run lists nothing of its own).
    const found = mayHaveWrittenBefore(ctx) ? await findInvoice(ctx, input.customerId, step) : null;
    // Finalized by an earlier attempt: its send, if it went out, is replayed by Stripe (one key per round).
    if (found && found.status !== "draft") return sendIfAsked(ctx, input, found);
    const draft =
      found ??
      (await withStripe(ctx, (stripe) =>
        stripe.invoices.create(
          {
            customer: input.customerId,
            currency: input.currency,
            collection_method: "send_invoice",
            ...dueTerms(input),
            ...(input.automaticTax ? { automatic_tax: { enabled: true } } : {}),
            description: input.description,
            auto_advance: false,
            pending_invoice_items_behavior: "exclude",
            metadata: { ...input.metadata, [JOURNEY]: ctx.journeyId, [STEP]: step },
          },
          { idempotencyKey: attemptKey(ctx, "invoice") },
        ),
      ));
    const invoiceId = draft.id;
    if (!invoiceId) throw unexpected("stripe returned an invoice without id");
    const added = found ? await addedLines(ctx, invoiceId) : new Set<number>();
    for (const [index, line] of input.lines.entries()) {
      if (added.has(index)) continue;
      await withStripe(ctx, (stripe) =>
        stripe.invoiceItems.create(
          {
            customer: input.customerId,
            invoice: invoiceId,
            currency: input.currency,
            amount: line.amount,
            description: line.description,
            metadata: { [LINE]: String(index) },
          },
          { idempotencyKey: attemptKey(ctx, `item:${index}`) },
        ),
      );
    }
    const invoice = await withStripe(ctx, (stripe) =>
      stripe.invoices.finalizeInvoice(invoiceId, {}, { idempotencyKey: attemptKey(ctx, "finalize") }),
    );
    return sendIfAsked(ctx, input, invoice);
  },
});

/**
 * `due_date` (a timestamp) for a fixed date still ahead, else `days_until_due`:
 * Stripe requires one of them for `send_invoice` and refuses a due date in the past.
 * https://docs.stripe.com/api/invoices/create#create_invoice-due_date
 */
function dueTerms(input: z.infer<typeof invoiceInput>): { due_date: number } | { days_until_due: number } {
  const due = input.dueDate ? Math.floor(Date.parse(`${input.dueDate}T23:59:59Z`) / 1000) : 0;
  return due > Date.now() / 1000 + 3600 ? { due_date: due } : { days_until_due: input.daysUntilDue };
}

/**
 * With `send`, asks Stripe to email the finalized invoice to the customer
 * (PostInvoicesInvoiceSend, https://docs.stripe.com/api/invoices/send):
 * `auto_advance: false` keeps Stripe from sending on its own, so this call is
 * the one that does. Without it, the journey's own email carries the link.
 * One key per round (`roundKey`): a retry after a lost answer gets Stripe's
 * saved answer, never a second email; a 5xx holds the step for the owner.
 */
async function sendIfAsked(
  ctx: ActionContext<"stripe">,
  input: z.infer<typeof invoiceInput>,
  invoice: StripeInvoice,
): Promise<CreatedInvoice> {
  const created = createdInvoice(invoice);
  if (!input.send || invoice.status !== "open") return created;
  await withStripe(ctx, (stripe) =>
    stripe.invoices.sendInvoice(created.invoiceId, {}, { idempotencyKey: roundKey(ctx, "send") }),
  ).catch((error: unknown) => {
    if (!outcomeUnknown(error)) throw error;
    const client = invoice.customer_name || invoice.customer_email || input.customerId;
    throw new InvoiceMaybeSentError(created.number ?? created.invoiceId, client, error);
  });
  return created;
}

/**
 * The invoice this journey step already made for the customer, if any. List
 * is strongly consistent (Search is not: it can miss an invoice created
 * seconds ago). Newest first, so an earlier attempt's invoice is on page one.
 */
async function findInvoice(
  ctx: ActionContext<"stripe">,
  customer: string,
  step: string,
): Promise<StripeInvoice | null> {
  return withStripe(ctx, async (stripe) => {
    let seen = 0;
    for await (const invoice of autoPage((after) =>
      stripe.invoices.list({ customer, limit: 100, starting_after: after }),
    )) {
      if (invoice.metadata?.[JOURNEY] === ctx.journeyId && invoice.metadata?.[STEP] === step) return invoice;
      if (++seen >= SEARCH_LIMIT) break;
    }
    return null;
  });
}

/** The line indexes a draft already has an invoice item for. */
async function addedLines(ctx: ActionContext<"stripe">, invoice: string): Promise<Set<number>> {
  return withStripe(ctx, async (stripe) => {
    const lines = new Set<number>();
    for await (const item of autoPage((after) =>
      stripe.invoiceItems.list({ invoice, limit: 100, starting_after: after }),
    )) {
      const line = item.metadata?.[LINE];
      if (line !== undefined && /^\d+$/.test(line)) lines.add(Number(line));
    }
    return lines;
  });
}

/** A 2xx whose body lacks what we need: retrying will not change it. */
const unexpected = (message: string) =>
  new IntegrationError({ provider: "stripe", httpStatus: 200, message, retryable: false });

/** The step's output from a finalized invoice. */
function createdInvoice(invoice: StripeInvoice): CreatedInvoice {
  if (!invoice.id || !invoice.hosted_invoice_url) {
    throw unexpected("finalized invoice has no hosted URL");
  }
  return {
    invoiceId: invoice.id,
    invoiceUrl: invoice.hosted_invoice_url,
    number: invoice.number ?? null,
    amountDue: invoice.amount_due,
    currency: invoice.currency,
    dueDate: invoice.due_date ? new Date(invoice.due_date * 1000).toISOString().slice(0, 10) : null,
  };
}
