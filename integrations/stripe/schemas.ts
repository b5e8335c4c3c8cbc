import type Stripe from "stripe";
import { z } from "zod";

/**
 * The fields Clientflow reads from Stripe's answers, checked at runtime with
 * zod and, at compile time, against stripe-node's own definitions (each
 * schema is typed as a `Pick` of the `stripe` type: a field whose schema
 * disagrees with Stripe's type does not compile). Objects stay loose: the
 * fields we do not read pass through unchecked.
 */
type Fields<T, K extends keyof T> = z.ZodType<Pick<T, K>>;

const metadata = z.record(z.string(), z.string());

/** A Customer: its id. https://docs.stripe.com/api/customers/object */
export const customer: Fields<Stripe.Customer, "id"> = z.looseObject({ id: z.string() });

/**
 * An Invoice: what the actions, the payment-failed task and the journey read.
 * https://docs.stripe.com/api/invoices/object
 */
export const invoice: Fields<
  Stripe.Invoice,
  | "id"
  | "status"
  | "metadata"
  | "hosted_invoice_url"
  | "number"
  | "amount_due"
  | "currency"
  | "due_date"
  | "customer_name"
  | "customer_email"
> = z.looseObject({
  id: z.string(),
  status: z.nullable(z.string()),
  metadata: z.nullable(metadata),
  hosted_invoice_url: z.optional(z.nullable(z.string())),
  number: z.nullable(z.string()),
  amount_due: z.number(),
  currency: z.string(),
  due_date: z.nullable(z.number()),
  customer_name: z.nullable(z.string()),
  customer_email: z.nullable(z.string()),
});

/** An InvoiceItem: its id and the metadata that names its line. https://docs.stripe.com/api/invoiceitems/object */
export const invoiceItem: Fields<Stripe.InvoiceItem, "id" | "metadata"> = z.looseObject({
  id: z.string(),
  metadata: z.nullable(metadata),
});

/** A WebhookEndpoint: its id and the secret Stripe returns at creation only. https://docs.stripe.com/api/webhook_endpoints/object */
export const webhookEndpoint: Fields<Stripe.WebhookEndpoint, "id" | "secret"> = z.looseObject({
  id: z.string(),
  secret: z.optional(z.string()),
});

/** An endpoint as read back: whether it is enabled and the events it receives. https://docs.stripe.com/api/webhook_endpoints/object */
export const webhookEndpointState: Fields<Stripe.WebhookEndpoint, "id" | "status" | "enabled_events"> = z.looseObject({
  id: z.string(),
  status: z.string(),
  enabled_events: z.array(z.string()),
});

/** An endpoint as listed, with its URL: how the platform's Connect endpoint is found. https://docs.stripe.com/api/webhook_endpoints/object */
export const listedEndpoint: Fields<Stripe.WebhookEndpoint, "id" | "url" | "status" | "enabled_events"> = z.looseObject(
  {
    id: z.string(),
    url: z.string(),
    status: z.string(),
    enabled_events: z.array(z.string()),
  },
);

/**
 * An InvoicePayment: the invoice a payment paid, which links a charge or a
 * dispute (they carry only their PaymentIntent) to an invoice.
 * https://docs.stripe.com/api/invoice-payment/object
 */
export const invoicePayment: z.ZodType<{ id: string; invoice: string; status: string }> = z.looseObject({
  id: z.string(),
  // Expandable: unexpanded it is the invoice id, which is all we read.
  invoice: z.union([z.string(), z.looseObject({ id: z.string() }).transform((i) => i.id)]),
  status: z.string(),
});

/** The answer to a DELETE. https://docs.stripe.com/api/invoices/delete */
export const deleted: z.ZodType<{ id: string; deleted: true }> = z.looseObject({
  id: z.string(),
  deleted: z.literal(true),
});

/** One page of a list. https://docs.stripe.com/api/pagination */
export const page = <T>(item: z.ZodType<T>): z.ZodType<{ data: T[]; has_more: boolean }> =>
  z.looseObject({ data: z.array(item), has_more: z.boolean() });

/** Any object: the answer to a call whose body we do not read (a key check's list). */
export const anyPage = page(z.unknown());

/** The invoice fields Clientflow reads (a `Pick` of Stripe's Invoice). */
export type StripeInvoice = z.output<typeof invoice>;
