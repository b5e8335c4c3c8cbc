import { http } from "msw";
import type { MockRequest, PathParams } from "./recorder";

/** The form fields of a form-encoded Stripe request. */
export type Form = Record<string, string>;

/** An invoice as the Stripe emulator stores and answers it. */
export interface Invoice {
  id: string;
  object: "invoice";
  customer: string;
  currency: string;
  status: "draft" | "open" | "paid" | "uncollectible" | "void";
  collection_method: string;
  days_until_due: number | null;
  description: string | null;
  metadata: Record<string, string>;
  lines: {
    object: "list";
    data: { id: string; amount: number; description: string; metadata: Record<string, string> }[];
  };
  amount_due: number;
  hosted_invoice_url: string | null;
  number: string | null;
  due_date: number | null;
  /** Stripe Tax: the emulator computes no tax (`tax` stays 0), it only records the request. */
  automatic_tax: { enabled: boolean; status: "complete" | null };
  tax: number;
  created: number;
  /** Copied from the customer (Stripe fixes them when the invoice is finalized). */
  customer_name: string | null;
  customer_email: string | null;
  status_transitions: { paid_at: number | null; finalized_at: number | null };
}

/** An invoice item as the Stripe emulator stores and answers it. */
export interface InvoiceItem {
  id: string;
  object: "invoiceitem";
  invoice: string;
  customer: string;
  currency: string;
  amount: number;
  description: string;
  metadata: Record<string, string>;
}

/** The emulator's state the invoice handlers read and write (StripeFake has it). */
export interface InvoiceState {
  readonly customers: ReadonlyMap<string, { name: string | null; email: string }>;
  readonly invoices: Map<string, Invoice>;
  readonly invoiceItems: Map<string, InvoiceItem>;
  /** The ids of the invoices Stripe emailed, one entry per email (a replayed send emails nothing). */
  readonly emailed: string[];
}

/** Wraps an endpoint's work in the emulator's auth, fault and idempotency layer (`StripeFake.handlers`). */
export type StripeRoute = <P extends PathParams>(
  fn: (form: Form, params: P, search: URLSearchParams, owner: string) => { status: number; body: unknown },
) => (info: { request: MockRequest; params: PathParams }) => Promise<Response>;

/** `metadata[a]=b` form fields → `{ a: b }`. */
export function nested(form: Form, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = new RegExp(`^${prefix}\\[(.+)\\]$`).exec(key);
    if (match?.[1]) out[match[1]] = value;
  }
  return out;
}

/** One page of a Stripe list, newest first, honouring `limit` and `starting_after`. */
export function page<T extends { id: string }>(url: string, items: T[], search: URLSearchParams) {
  const limit = Math.min(Math.max(Number(search.get("limit") ?? 10), 1), 100);
  const after = search.get("starting_after");
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  const data = items.slice(start, start + limit);
  return { object: "list", url, has_more: start + limit < items.length, data };
}

/**
 * The invoice endpoints of the Stripe emulator: list invoices and invoice
 * items, retrieve an invoice, create a draft invoice, add an item to a draft, finalize, send, void a
 * finalized invoice, delete a draft. `b` is the
 * emulator's base URL; `nextId` hands out the next id with a prefix.
 */
export function invoiceHandlers(
  state: InvoiceState,
  b: string,
  route: StripeRoute,
  nextId: (prefix: string) => string,
) {
  return [
    http.get(
      `${b}/v1/invoices`,
      route((_form, _params, search) => {
        const customer = search.get("customer");
        const invoices = [...state.invoices.values()].filter((i) => !customer || i.customer === customer).reverse();
        return { status: 200, body: page("/v1/invoices", invoices, search) };
      }),
    ),
    // Retrieve (GetInvoicesInvoice): the replay of a payment failure reads the invoice again.
    http.get(
      `${b}/v1/invoices/:id`,
      route<{ id: string }>((_form, { id }) => {
        const invoice = state.invoices.get(id);
        return invoice
          ? { status: 200, body: invoice }
          : { status: 404, body: { error: { type: "invalid_request_error", message: `No such invoice: '${id}'` } } };
      }),
    ),
    http.get(
      `${b}/v1/invoiceitems`,
      route((_form, _params, search) => {
        const invoice = search.get("invoice");
        const items = [...state.invoiceItems.values()].filter((i) => !invoice || i.invoice === invoice).reverse();
        return { status: 200, body: page("/v1/invoiceitems", items, search) };
      }),
    ),
    http.post(
      `${b}/v1/invoices`,
      route((form) => {
        if (!form.customer || !state.customers.has(form.customer))
          return { status: 400, body: { error: { type: "invalid_request_error", message: "No such customer" } } };
        const invoice: Invoice = {
          id: nextId("in"),
          object: "invoice",
          customer: form.customer,
          currency: form.currency ?? "usd",
          status: "draft",
          collection_method: form.collection_method ?? "charge_automatically",
          days_until_due: form.days_until_due ? Number(form.days_until_due) : null,
          description: form.description ?? null,
          metadata: nested(form, "metadata"),
          lines: { object: "list", data: [] },
          amount_due: 0,
          hosted_invoice_url: null,
          number: null,
          due_date: form.due_date ? Number(form.due_date) : null,
          automatic_tax: {
            enabled: form["automatic_tax[enabled]"] === "true",
            status: form["automatic_tax[enabled]"] === "true" ? "complete" : null,
          },
          tax: 0,
          created: Math.floor(Date.now() / 1000),
          customer_name: null,
          customer_email: null,
          status_transitions: { paid_at: null, finalized_at: null },
        };
        state.invoices.set(invoice.id, invoice);
        return { status: 200, body: invoice };
      }),
    ),
    http.post(
      `${b}/v1/invoiceitems`,
      route((form) => {
        const invoice = form.invoice ? state.invoices.get(form.invoice) : undefined;
        if (invoice?.status !== "draft")
          return {
            status: 400,
            body: { error: { type: "invalid_request_error", message: "Invoice is not a draft" } },
          };
        const item = {
          id: nextId("ii"),
          amount: Number(form.amount ?? 0),
          description: form.description ?? "",
          metadata: nested(form, "metadata"),
        };
        invoice.lines.data.push(item);
        invoice.amount_due += item.amount;
        const stored = {
          object: "invoiceitem" as const,
          invoice: invoice.id,
          customer: invoice.customer,
          currency: form.currency ?? invoice.currency,
          ...item,
        };
        state.invoiceItems.set(item.id, stored);
        return { status: 200, body: stored };
      }),
    ),
    http.post(
      `${b}/v1/invoices/:id/finalize`,
      route<{ id: string }>((_form, { id }) => {
        const invoice = state.invoices.get(id);
        if (!invoice)
          return { status: 404, body: { error: { type: "invalid_request_error", message: "No such invoice" } } };
        if (invoice.status !== "draft")
          return {
            status: 400,
            body: { error: { type: "invalid_request_error", message: "Invoice is already finalized" } },
          };
        const now = Math.floor(Date.now() / 1000);
        invoice.status = "open";
        invoice.number = `CF-${String(state.invoices.size).padStart(4, "0")}`;
        invoice.hosted_invoice_url = `https://invoice.stripe.test/i/${invoice.id}`;
        invoice.due_date ??= now + (invoice.days_until_due ?? 0) * 86_400;
        invoice.status_transitions.finalized_at = now;
        const customer = state.customers.get(invoice.customer);
        invoice.customer_name = customer?.name ?? null;
        invoice.customer_email = customer?.email ?? null;
        return { status: 200, body: invoice };
      }),
    ),
    // Send (PostInvoicesInvoiceSend): Stripe emails an open send_invoice invoice to its customer;
    // `emailed` is the emulator's record of the emails (the request log also holds replays and failures).
    http.post(
      `${b}/v1/invoices/:id/send`,
      route<{ id: string }>((_form, { id }) => {
        const invoice = state.invoices.get(id);
        if (!invoice)
          return { status: 404, body: { error: { type: "invalid_request_error", message: "No such invoice" } } };
        if (invoice.status !== "open" || invoice.collection_method !== "send_invoice")
          return {
            status: 400,
            body: { error: { type: "invalid_request_error", message: "Only open send_invoice invoices can be sent" } },
          };
        state.emailed.push(id);
        return { status: 200, body: invoice };
      }),
    ),
    // Void (PostInvoicesInvoiceVoid): only an open or uncollectible invoice; a void or paid one is refused as Stripe does.
    http.post(
      `${b}/v1/invoices/:id/void`,
      route<{ id: string }>((_form, { id }) => {
        const invoice = state.invoices.get(id);
        if (!invoice) return missing(id);
        if (invoice.status !== "open" && invoice.status !== "uncollectible")
          return refused(`You can only void open or uncollectible invoices; this invoice is ${invoice.status}.`);
        invoice.status = "void";
        return { status: 200, body: invoice };
      }),
    ),
    // Delete (DeleteInvoicesInvoice): only a draft; the invoice is gone afterwards (404 on retrieve).
    http.delete(
      `${b}/v1/invoices/:id`,
      route<{ id: string }>((_form, { id }) => {
        const invoice = state.invoices.get(id);
        if (!invoice) return missing(id);
        if (invoice.status !== "draft") return refused("You can only delete draft invoices; void this one instead.");
        state.invoices.delete(id);
        return { status: 200, body: { id, object: "invoice", deleted: true } };
      }),
    ),
  ];
}

const missing = (id: string) => ({
  status: 404,
  body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such invoice: '${id}'` } },
});

const refused = (message: string) => ({
  status: 400,
  body: { error: { type: "invalid_request_error", message } },
});
