import { defineIntegration } from "../core/define";
import { createInvoice } from "./actions/create-invoice";
import { findOrCreateCustomer } from "./actions/find-or-create-customer";
import { voidInvoice } from "./actions/void-invoice";
import { stripeOAuth } from "./oauth";

/**
 * Stripe: customers and hosted invoices; invoice.* webhooks advance journeys.
 * Connected as a Stripe App (OAuth) or with a pasted restricted key with
 * these permissions.
 */
export const stripe = defineIntegration({
  id: "stripe",
  name: "Stripe",
  role: "Invoices and payments.",
  auth: { oauth: stripeOAuth, scopes: ["customers:write", "invoices:write"] },
  bases: (env) => ({ apiBase: env.STRIPE_API_BASE }),
  webhook: { path: "/webhooks/stripe", events: ["invoice.paid", "invoice.payment_failed"] },
  actions: { findOrCreateCustomer, createInvoice, voidInvoice },
});
