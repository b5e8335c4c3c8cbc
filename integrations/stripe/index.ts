import { defineIntegration } from "../define";
import { createInvoice } from "./actions/create-invoice";
import { findOrCreateCustomer } from "./actions/find-or-create-customer";

/** Stripe: customers and hosted invoices; invoice.* webhooks advance journeys. */
export const stripe = defineIntegration({
  id: "stripe",
  auth: { kind: "api_key", scopes: ["customers:write", "invoices:write"] },
  webhook: { path: "/webhooks/stripe", events: ["invoice.paid", "invoice.payment_failed"] },
  actions: { findOrCreateCustomer, createInvoice },
});
