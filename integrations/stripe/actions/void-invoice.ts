import { z } from "zod";
import { defineAction } from "../../core/define";
import { IntegrationError } from "../../core/errors";
import { withStripe } from "../client";
import { attemptKey } from "../idempotency";
import type { StripeInvoice } from "../schemas";

/**
 * What became of the invoice: voided (now or before), deleted (a draft, now
 * or before), or left alone because it is paid (the owner refunds in Stripe).
 */
export type InvoiceUndo = "voided" | "deleted" | "paid";

/** The step's output: the invoice, its number for people, and what was done. */
export interface UndoneInvoice {
  invoiceId: string;
  number: string | null;
  outcome: InvoiceUndo;
}

/**
 * Withdraws an invoice a cancelled journey sent. Stripe allows each undo in
 * some statuses only (stripe-node's generated `Invoices.d.ts`, from the API
 * spec): a draft is deleted (`DELETE /v1/invoices/{invoice}`, "only a draft";
 * https://docs.stripe.com/api/invoices/delete), an open or uncollectible one is
 * voided (`POST /v1/invoices/{invoice}/void`, "only a finalized invoice";
 * https://docs.stripe.com/api/invoices/void), a paid one is left as it is.
 * The invoice is read first, so a retry or a second cancel finds it already
 * void (or gone) and changes nothing.
 */
export const voidInvoice = defineAction({
  id: "stripe.void-invoice",
  idempotent: "natural",
  input: z.object({ invoiceId: z.string().startsWith("in_") }),
  async run(ctx, { invoiceId }): Promise<UndoneInvoice> {
    const invoice = await retrieve(ctx, invoiceId);
    if (!invoice) return { invoiceId, number: null, outcome: "deleted" };
    const done = (outcome: InvoiceUndo): UndoneInvoice => ({ invoiceId, number: invoice.number ?? null, outcome });
    switch (invoice.status) {
      case "paid":
        return done("paid");
      case "void":
        return done("voided");
      case "draft":
        await withStripe(ctx, (stripe) => stripe.invoices.del(invoiceId));
        return done("deleted");
      default:
        await withStripe(ctx, (stripe) =>
          stripe.invoices.voidInvoice(invoiceId, {}, { idempotencyKey: attemptKey(ctx, `void:${invoiceId}`) }),
        );
        return done("voided");
    }
  },
});

/** The invoice, or null when Stripe no longer has it (a deleted draft answers 404). */
async function retrieve(ctx: Parameters<typeof voidInvoice.run>[0], invoiceId: string): Promise<StripeInvoice | null> {
  try {
    return await withStripe(ctx, (stripe) => stripe.invoices.retrieve(invoiceId));
  } catch (error) {
    if (error instanceof IntegrationError && error.httpStatus === 404) return null;
    throw error;
  }
}
