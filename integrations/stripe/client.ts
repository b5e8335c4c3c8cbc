import type Stripe from "stripe";
import { type ConnectionContext, withToken } from "../core/context";
import { callStripe, type StripeRequestOptions, type StripeTarget, stripeRequest } from "./http";
import {
  anyPage,
  customer,
  deleted,
  invoice,
  invoiceItem,
  invoicePayment,
  listedEndpoint,
  page,
  webhookEndpoint,
  webhookEndpointState,
} from "./schemas";

export { callStripe, stripeError } from "./http";

/** A path segment from an id (ids come from Stripe or from our own records, but never trusted into a path). */
const id = (value: string) => encodeURIComponent(value);

/**
 * The Stripe API calls Clientflow makes, as a small typed fetch client (no
 * SDK in the Worker: see shared/RECIPES.md on bundle size). Methods and
 * parameters are named as stripe-node names them and typed by the `stripe`
 * package's definitions (types only); answers are checked against the
 * fields we read (`schemas.ts`). No retries here: the Workflow step owns
 * them (and honours Retry-After).
 */
export function stripeClient(target: StripeTarget) {
  return {
    customers: {
      /** GET /v1/customers https://docs.stripe.com/api/customers/list */
      list: (params: Stripe.CustomerListParams) =>
        stripeRequest(target, "GET", "/v1/customers", page(customer), params),
      /** POST /v1/customers https://docs.stripe.com/api/customers/create */
      create: (params: Stripe.CustomerCreateParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", "/v1/customers", customer, params, options),
    },
    invoices: {
      /** GET /v1/invoices https://docs.stripe.com/api/invoices/list */
      list: (params: Stripe.InvoiceListParams) => stripeRequest(target, "GET", "/v1/invoices", page(invoice), params),
      /** GET /v1/invoices/{invoice} https://docs.stripe.com/api/invoices/retrieve */
      retrieve: (invoiceId: string) => stripeRequest(target, "GET", `/v1/invoices/${id(invoiceId)}`, invoice),
      /** POST /v1/invoices https://docs.stripe.com/api/invoices/create */
      create: (params: Stripe.InvoiceCreateParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", "/v1/invoices", invoice, params, options),
      /** DELETE /v1/invoices/{invoice} (drafts only) https://docs.stripe.com/api/invoices/delete */
      del: (invoiceId: string) => stripeRequest(target, "DELETE", `/v1/invoices/${id(invoiceId)}`, deleted),
      /** POST /v1/invoices/{invoice}/finalize https://docs.stripe.com/api/invoices/finalize */
      finalizeInvoice: (
        invoiceId: string,
        params: Stripe.InvoiceFinalizeInvoiceParams,
        options?: StripeRequestOptions,
      ) => stripeRequest(target, "POST", `/v1/invoices/${id(invoiceId)}/finalize`, invoice, params, options),
      /** POST /v1/invoices/{invoice}/send https://docs.stripe.com/api/invoices/send */
      sendInvoice: (invoiceId: string, params: Stripe.InvoiceSendInvoiceParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", `/v1/invoices/${id(invoiceId)}/send`, invoice, params, options),
      /** POST /v1/invoices/{invoice}/void https://docs.stripe.com/api/invoices/void */
      voidInvoice: (invoiceId: string, params: Stripe.InvoiceVoidInvoiceParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", `/v1/invoices/${id(invoiceId)}/void`, invoice, params, options),
    },
    invoiceItems: {
      /** GET /v1/invoiceitems https://docs.stripe.com/api/invoiceitems/list */
      list: (params: Stripe.InvoiceItemListParams) =>
        stripeRequest(target, "GET", "/v1/invoiceitems", page(invoiceItem), params),
      /** POST /v1/invoiceitems https://docs.stripe.com/api/invoiceitems/create */
      create: (params: Stripe.InvoiceItemCreateParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", "/v1/invoiceitems", invoiceItem, params, options),
    },
    invoicePayments: {
      /**
       * GET /v1/invoice_payments: the invoices a PaymentIntent paid (`payment[type]=payment_intent`,
       * `payment[payment_intent]`). https://docs.stripe.com/api/invoice-payment/list
       */
      list: (params: Stripe.InvoicePaymentListParams) =>
        stripeRequest(target, "GET", "/v1/invoice_payments", page(invoicePayment), params),
    },
    webhookEndpoints: {
      /** GET /v1/webhook_endpoints (a pasted key's permission check) https://docs.stripe.com/api/webhook_endpoints/list */
      list: (params: Stripe.WebhookEndpointListParams) =>
        stripeRequest(target, "GET", "/v1/webhook_endpoints", anyPage, params),
      /** The same list, read: each endpoint's URL, status and events (the operator's Connect endpoint check). */
      listRead: (params: Stripe.WebhookEndpointListParams) =>
        stripeRequest(target, "GET", "/v1/webhook_endpoints", page(listedEndpoint), params),
      /** POST /v1/webhook_endpoints https://docs.stripe.com/api/webhook_endpoints/create */
      create: (params: Stripe.WebhookEndpointCreateParams, options?: StripeRequestOptions) =>
        stripeRequest(target, "POST", "/v1/webhook_endpoints", webhookEndpoint, params, options),
      /** GET /v1/webhook_endpoints/{webhook_endpoint} https://docs.stripe.com/api/webhook_endpoints/retrieve */
      retrieve: (endpointId: string) =>
        stripeRequest(target, "GET", `/v1/webhook_endpoints/${id(endpointId)}`, webhookEndpointState),
      /** DELETE /v1/webhook_endpoints/{webhook_endpoint} https://docs.stripe.com/api/webhook_endpoints/delete */
      del: (endpointId: string) => stripeRequest(target, "DELETE", `/v1/webhook_endpoints/${id(endpointId)}`, deleted),
    },
  };
}

/** The client `withStripe` and `platformStripe` hand out. */
export type StripeClient = ReturnType<typeof stripeClient>;

/**
 * Every item of a list, page after page (`starting_after` the last id, while
 * `has_more`), as stripe-node's auto-pagination does.
 * https://docs.stripe.com/api/pagination
 */
export async function* autoPage<T extends { id: string }>(
  list: (startingAfter: string | undefined) => Promise<{ data: T[]; has_more: boolean }>,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const { data, has_more } = await list(after);
    yield* data;
    const last = data.at(-1);
    if (!has_more || !last) return;
    after = last.id;
  }
}

/**
 * Runs Stripe calls for the workspace with its current credential (OAuth
 * access token or pasted restricted key); a 401 refreshes once.
 */
export function withStripe<T>(ctx: ConnectionContext<"stripe">, fn: (stripe: StripeClient) => Promise<T>): Promise<T> {
  return withToken(ctx, (key) => callStripe(() => fn(stripeClient({ apiBase: ctx.apiBase, key }))));
}

/** A Stripe client on a key outside any connection (checking a pasted restricted key). */
export function platformStripe(apiBase: string, key: string): StripeClient {
  return stripeClient({ apiBase, key });
}
