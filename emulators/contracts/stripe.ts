import type { Operation } from "./types";

/** List parameters every Stripe list endpoint takes (https://docs.stripe.com/api/pagination). */
const page = { limit: false, starting_after: false, ending_before: false, expand: false } as const;

/**
 * The Stripe operations Clientflow calls (stripe-node, form-encoded bodies).
 * Each names its `operationId` in stripe/openapi `openapi/spec3.json`; the
 * fields are the top-level names of the operation's requestBody schema.
 */
export const stripeContract: readonly Operation[] = [
  {
    method: "GET",
    path: "/v1/webhook_endpoints",
    query: page,
    body: "none",
    source: "spec3.json GetWebhookEndpoints",
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints",
    body: "form",
    fields: {
      url: true,
      enabled_events: true,
      description: false,
      metadata: false,
      api_version: false,
      connect: false,
      expand: false,
    },
    source: "spec3.json PostWebhookEndpoints",
  },
  {
    method: "GET",
    path: "/v1/webhook_endpoints/{webhook_endpoint}",
    query: { expand: false },
    body: "none",
    source: "spec3.json GetWebhookEndpointsWebhookEndpoint",
  },
  {
    method: "DELETE",
    path: "/v1/webhook_endpoints/{webhook_endpoint}",
    body: "none",
    source: "spec3.json DeleteWebhookEndpointsWebhookEndpoint",
  },
  {
    method: "GET",
    path: "/v1/account",
    query: { expand: false },
    body: "none",
    source: "spec3.json GetAccount",
  },
  {
    method: "GET",
    path: "/v1/customers",
    query: { ...page, email: false },
    body: "none",
    source: "spec3.json GetCustomers",
  },
  {
    method: "POST",
    path: "/v1/customers",
    body: "form",
    fields: { email: false, name: false, metadata: false, expand: false },
    source: "spec3.json PostCustomers",
  },
  {
    method: "GET",
    path: "/v1/invoices",
    query: { ...page, customer: false },
    body: "none",
    source: "spec3.json GetInvoices",
  },
  {
    method: "GET",
    path: "/v1/invoices/{invoice}",
    query: { expand: false },
    body: "none",
    source: "spec3.json GetInvoicesInvoice",
  },
  {
    method: "POST",
    path: "/v1/invoices",
    body: "form",
    fields: {
      customer: false,
      currency: false,
      collection_method: false,
      days_until_due: false,
      description: false,
      due_date: false,
      auto_advance: false,
      automatic_tax: false,
      pending_invoice_items_behavior: false,
      metadata: false,
      expand: false,
    },
    source: "spec3.json PostInvoices",
  },
  {
    method: "POST",
    path: "/v1/invoices/{invoice}/send",
    body: "form",
    fields: { expand: false },
    source: "spec3.json PostInvoicesInvoiceSend",
  },
  {
    method: "POST",
    path: "/v1/invoices/{invoice}/finalize",
    body: "form",
    fields: { auto_advance: false, expand: false },
    source: "spec3.json PostInvoicesInvoiceFinalize",
  },
  {
    method: "POST",
    path: "/v1/invoices/{invoice}/void",
    body: "form",
    fields: { expand: false },
    source: "spec3.json PostInvoicesInvoiceVoid",
  },
  {
    method: "DELETE",
    path: "/v1/invoices/{invoice}",
    body: "none",
    source: "spec3.json DeleteInvoicesInvoice",
  },
  {
    method: "GET",
    path: "/v1/invoiceitems",
    query: { ...page, invoice: false, customer: false },
    body: "none",
    source: "spec3.json GetInvoiceitems",
  },
  {
    method: "POST",
    path: "/v1/invoiceitems",
    body: "form",
    fields: {
      customer: false,
      invoice: false,
      currency: false,
      amount: false,
      description: false,
      metadata: false,
      expand: false,
    },
    source: "spec3.json PostInvoiceitems",
  },
  {
    // Links a charge or dispute to its invoice by PaymentIntent (docs/reversals.md); `payment` is a hash
    // (`payment[type]`, `payment[payment_intent]`: InvoicePaymentListParams.Payment in stripe-node).
    method: "GET",
    path: "/v1/invoice_payments",
    query: { ...page, invoice: false, payment: false, status: false, created: false },
    body: "none",
    source: "spec3.json GetInvoicePayments",
  },
  {
    method: "POST",
    path: "/v1/oauth/token",
    body: "form",
    fields: { grant_type: true, code: false, refresh_token: false },
    source: "https://docs.stripe.com/stripe-apps/api-authentication/oauth (token exchange and refresh)",
    notInSpec: "Stripe Apps OAuth is documented outside the API spec",
  },
];
