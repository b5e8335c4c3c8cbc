import { defineIntegration } from "../core/define";
import { createInvoice } from "./actions/create-invoice";
import { findOrCreateCustomer } from "./actions/find-or-create-customer";
import { voidInvoice } from "./actions/void-invoice";
import { STRIPE_API_VERSION } from "./http";
import { stripeOAuth } from "./oauth";
import { HANDLED_STRIPE_EVENTS } from "./webhook-endpoints";

/**
 * Stripe: customers and hosted invoices; invoice.* webhooks advance journeys,
 * refunds, disputes and voided or uncollectible invoices reach them (docs/reversals.md).
 * Connected as a Stripe App (OAuth) or with a pasted restricted key with
 * these permissions.
 */
export const stripe = defineIntegration({
  id: "stripe",
  name: "Stripe",
  role: "Invoices and payments.",
  auth: { oauth: stripeOAuth, scopes: ["customers:write", "invoices:write"] },
  bases: (env) => ({ apiBase: env.STRIPE_API_BASE }),
  webhook: { path: "/webhooks/stripe", events: [...HANDLED_STRIPE_EVENTS], apiVersion: STRIPE_API_VERSION },
  actions: { findOrCreateCustomer, createInvoice, voidInvoice },
});
