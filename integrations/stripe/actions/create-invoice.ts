import { z } from "zod";
import { IntegrationError } from "../../../src/errors";
import { defineAction } from "../../define";
import { withStripe } from "../client";

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
});

export interface CreatedInvoice {
  invoiceId: string;
  invoiceUrl: string;
  number: string | null;
  amountDue: number;
  currency: string;
  dueDate: string | null;
}

/**
 * Draft invoice → one invoice item per line → finalize, each call under a key
 * derived from the step's idempotency key, so a retried step replays Stripe's
 * saved responses instead of creating a second invoice.
 */
export const createInvoice = defineAction({
  id: "stripe.create-invoice",
  idempotent: "key",
  input: invoiceInput,
  async run(ctx, input): Promise<CreatedInvoice> {
    const key = ctx.idempotencyKey;
    const draft = await withStripe(ctx.env, ctx.workspaceId, (stripe) =>
      stripe.invoices.create(
        {
          customer: input.customerId,
          currency: input.currency,
          collection_method: "send_invoice",
          days_until_due: input.daysUntilDue,
          description: input.description,
          auto_advance: false,
          pending_invoice_items_behavior: "exclude",
          metadata: input.metadata,
        },
        { idempotencyKey: `${key}:invoice` },
      ),
    );
    const invoiceId = draft.id;
    if (!invoiceId) throw new IntegrationError("stripe", 200, "stripe returned an invoice without id", false);
    for (const [index, line] of input.lines.entries()) {
      await withStripe(ctx.env, ctx.workspaceId, (stripe) =>
        stripe.invoiceItems.create(
          {
            customer: input.customerId,
            invoice: invoiceId,
            currency: input.currency,
            amount: line.amount,
            description: line.description,
          },
          { idempotencyKey: `${key}:item:${index}` },
        ),
      );
    }
    const invoice = await withStripe(ctx.env, ctx.workspaceId, (stripe) =>
      stripe.invoices.finalizeInvoice(invoiceId, {}, { idempotencyKey: `${key}:finalize` }),
    );
    if (!invoice.hosted_invoice_url) {
      throw new IntegrationError("stripe", 200, "finalized invoice has no hosted URL", false);
    }
    return {
      invoiceId,
      invoiceUrl: invoice.hosted_invoice_url,
      number: invoice.number ?? null,
      amountDue: invoice.amount_due,
      currency: invoice.currency,
      dueDate: invoice.due_date ? new Date(invoice.due_date * 1000).toISOString().slice(0, 10) : null,
    };
  },
});
