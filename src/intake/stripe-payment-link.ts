import { withStripe } from "../../integrations/stripe/client";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { journeyOfInvoice } from "../store/journey-invoices";

/**
 * The journey invoice a PaymentIntent paid in this workspace's Stripe, or
 * null when it paid no invoice a journey of the workspace created. Since API
 * version 2025-03-31 a Charge (and a Dispute) no longer names its invoice;
 * Stripe's invoice payments link a PaymentIntent to the invoices it paid
 * (`GET /v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=…`,
 * InvoicePaymentListParams in stripe-node; https://docs.stripe.com/api/invoice-payment/list).
 * Only our own record (`journey_invoices`) makes an invoice the journey's: a
 * PaymentIntent of someone else's invoice links to nothing.
 */
export async function ownInvoiceOfPayment(
  env: AppEnv,
  workspaceId: string,
  paymentIntentId: string,
): Promise<string | null> {
  const { data } = await withConnection(env, workspaceId, "stripe", (stripeCtx) =>
    withStripe(stripeCtx, (stripe) =>
      // One PaymentIntent pays one invoice in practice; a few more cover an invoice paid in parts.
      stripe.invoicePayments.list({ payment: { type: "payment_intent", payment_intent: paymentIntentId }, limit: 10 }),
    ),
  );
  for (const payment of data) {
    if (await journeyOfInvoice(env.DB, workspaceId, payment.invoice)) return payment.invoice;
  }
  return null;
}
