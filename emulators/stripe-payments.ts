import { http } from "msw";
import { type Invoice, page, type StripeRoute } from "./stripe-invoices";

/** An InvoicePayment as the emulator stores it (stripe-node `InvoicePayment`: the fields Stripe sends). */
export interface InvoicePayment {
  id: string;
  object: "invoice_payment";
  invoice: string;
  amount_paid: number | null;
  amount_requested: number;
  currency: string;
  created: number;
  is_default: boolean;
  livemode: boolean;
  status: "open" | "paid" | "canceled";
  payment: { type: "payment_intent"; payment_intent: string };
  status_transitions: { paid_at: number | null; canceled_at: number | null };
}

/** A Charge: the fields `charge.refunded` carries that Clientflow reads (since 2025-03-31 it names no invoice). */
export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  payment_intent: string;
  paid: boolean;
}

/** A Dispute of a charge (stripe-node `Dispute`): `needs_response` while open, `won` or `lost` once closed. */
export interface Dispute {
  id: string;
  object: "dispute";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  reason: string;
  status: "needs_response" | "won" | "lost";
}

/**
 * The payments side of the Stripe emulator: a paid invoice gets a
 * PaymentIntent, its charge and an InvoicePayment linking them
 * (https://docs.stripe.com/api/invoice-payment/object); refunds and disputes
 * change the charge and answer the object the Stripe event would carry.
 * `GET /v1/invoice_payments` lists them, filtered by invoice or by
 * `payment[type]=payment_intent` and `payment[payment_intent]`
 * (InvoicePaymentListParams in stripe-node).
 */
export class StripeInvoicePayments {
  readonly payments = new Map<string, InvoicePayment>();
  readonly charges = new Map<string, Charge>();
  readonly disputes = new Map<string, Dispute>();

  constructor(private readonly nextId: (prefix: string) => string) {}

  /** Records the payment of an invoice just paid: a PaymentIntent, its charge and the InvoicePayment. */
  record(invoice: Invoice, at: number): InvoicePayment {
    const paymentIntent = this.nextId("pi");
    const charge: Charge = {
      id: this.nextId("ch"),
      object: "charge",
      amount: invoice.amount_due,
      amount_refunded: 0,
      refunded: false,
      currency: invoice.currency,
      payment_intent: paymentIntent,
      paid: true,
    };
    this.charges.set(charge.id, charge);
    const payment: InvoicePayment = {
      id: this.nextId("inpay"),
      object: "invoice_payment",
      invoice: invoice.id,
      amount_paid: invoice.amount_due,
      amount_requested: invoice.amount_due,
      currency: invoice.currency,
      created: at,
      is_default: true,
      livemode: false,
      status: "paid",
      payment: { type: "payment_intent", payment_intent: paymentIntent },
      status_transitions: { paid_at: at, canceled_at: null },
    };
    this.payments.set(payment.id, payment);
    return payment;
  }

  /** The charge that paid an invoice (its paid InvoicePayment's PaymentIntent). */
  chargeOf(invoiceId: string): Charge {
    const payment = [...this.payments.values()].find((p) => p.invoice === invoiceId && p.status === "paid");
    const charge = [...this.charges.values()].find((c) => c.payment_intent === payment?.payment.payment_intent);
    if (!charge) throw new Error(`invoice ${invoiceId} has no payment`);
    return charge;
  }

  /** Refunds `amount` (default: what is left) of the invoice's charge; the Charge a `charge.refunded` carries. */
  refund(invoiceId: string, amount?: number): Charge {
    const charge = this.chargeOf(invoiceId);
    const left = charge.amount - charge.amount_refunded;
    if (left <= 0) throw new Error(`invoice ${invoiceId}'s charge is already refunded`);
    charge.amount_refunded += Math.min(amount ?? left, left);
    charge.refunded = charge.amount_refunded === charge.amount;
    return { ...charge };
  }

  /** Opens a dispute of the invoice's charge; the Dispute a `charge.dispute.created` carries. */
  dispute(invoiceId: string, reason = "fraudulent"): Dispute {
    const charge = this.chargeOf(invoiceId);
    const dispute: Dispute = {
      id: this.nextId("dp"),
      object: "dispute",
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      reason,
      status: "needs_response",
    };
    this.disputes.set(dispute.id, dispute);
    return { ...dispute };
  }

  /** Closes a dispute won or lost; the Dispute a `charge.dispute.closed` carries. */
  closeDispute(disputeId: string, status: "won" | "lost"): Dispute {
    const dispute = this.disputes.get(disputeId);
    if (dispute?.status !== "needs_response") throw new Error(`no open dispute ${disputeId}`);
    dispute.status = status;
    return { ...dispute };
  }

  handlers(b: string, route: StripeRoute) {
    return [
      http.get(
        `${b}/v1/invoice_payments`,
        route((_form, _params, search) => {
          const invoice = search.get("invoice");
          const type = search.get("payment[type]");
          const paymentIntent = search.get("payment[payment_intent]");
          const status = search.get("status");
          const items = [...this.payments.values()]
            .filter((p) => !invoice || p.invoice === invoice)
            .filter((p) => !type || p.payment.type === type)
            .filter((p) => !paymentIntent || p.payment.payment_intent === paymentIntent)
            .filter((p) => !status || p.status === status)
            .reverse();
          return { status: 200, body: page("/v1/invoice_payments", items, search) };
        }),
      ),
    ];
  }
}
