import { AppError, ValidationError } from "../core/errors";
import type { Grant } from "../core/provider-oauth";
import { callStripe, platformStripe } from "./client";
import { StripeApiError } from "./errors";

/**
 * The permissions Clientflow's restricted key needs, as the Stripe Dashboard
 * names them (Developers → API keys → Create restricted key). Write includes
 * Read. https://docs.stripe.com/keys/restricted-api-keys
 */
export const RESTRICTED_KEY_PERMISSIONS = [
  { resource: "customers", label: "Customers", access: "Write" },
  { resource: "invoices", label: "Invoices", access: "Write" },
  { resource: "invoiceItems", label: "Invoice items", access: "Write" },
  // Clientflow creates the account's webhook endpoint with the key (webhook-endpoints.ts).
  { resource: "webhookEndpoints", label: "Webhook Endpoints", access: "Write" },
  // A refund or dispute names only its PaymentIntent: reading invoice payments links it to the invoice
  // (docs/reversals.md). Read is enough: Clientflow never writes them.
  { resource: "invoicePayments", label: "Invoice payments", access: "Read" },
] as const;

/** The permissions as the owner sets them in Stripe's Dashboard ("Customers: Write, …, Invoice payments: Read"). */
export const RESTRICTED_KEY_PERMISSION_LIST = RESTRICTED_KEY_PERMISSIONS.map((p) => `${p.label}: ${p.access}`).join(
  ", ",
);
const PERMISSION_LIST = RESTRICTED_KEY_PERMISSION_LIST;

/** A key Stripe itself refused (401) or that lacks a permission Clientflow needs (403). */
export class StripeKeyRefusedError extends AppError {
  override name = "StripeKeyRefusedError";
  constructor(code: "stripe_key_invalid" | "stripe_key_missing_permission", message: string) {
    super(code, message, 422);
  }
}

/** Stripe's 403 names the permission (`rak_…`) that would let the request through; the rest of its message quotes the key. */
const permissionHint = (message: string) => /'(rak_[a-z_]+)'/.exec(message)?.[1];

/**
 * The documented fallback to OAuth: a restricted key (rk_…) the business
 * creates for Clientflow with the permissions above, checked at Stripe's API
 * (`apiBase`).
 *
 * A restricted key cannot read `GET /v1/account` (no restricted-key
 * permission covers it; Stripe answers 403, see dj-stripe/dj-stripe#1131),
 * and neither the list responses nor their headers carry the account id
 * (`Stripe-Account` is a request header for Connect, not a response one:
 * https://docs.stripe.com/connect/authentication). So the key is checked with
 * one `limit=1` list per resource it must use (https://docs.stripe.com/api/pagination),
 * which its permissions allow (Write includes Read, so a list is allowed by
 * the Write or Read permission named above; for webhook endpoints that is
 * `GET /v1/webhook_endpoints`), and the connection is stored without an
 * account id. Events for a key-connected workspace arrive at its own
 * endpoint, not through the account id. Full secret keys (sk_…) are refused:
 * they can do anything in the account (https://docs.stripe.com/keys).
 */
export async function grantFromRestrictedKey(apiBase: string, key: string): Promise<Grant<"stripe">> {
  const trimmed = key.trim();
  if (/^sk_(test|live)_/.test(trimmed)) {
    throw new ValidationError(
      `That is a full secret key, which can do anything in your Stripe account; Clientflow does not accept it. In Stripe's Dashboard (Developers → API keys) create a restricted key with ${PERMISSION_LIST}, and paste that (it starts with rk_live_ or rk_test_).`,
    );
  }
  if (!/^rk_(test|live)_[A-Za-z0-9]{10,}$/.test(trimmed)) {
    throw new ValidationError(
      `That is not a Stripe restricted key (it starts with rk_live_ or rk_test_). Create one with ${PERMISSION_LIST}.`,
    );
  }
  const stripe = platformStripe(apiBase, trimmed);
  for (const { resource, label } of RESTRICTED_KEY_PERMISSIONS) {
    await callStripe(async () => {
      try {
        await stripe[resource].list({ limit: 1 });
      } catch (error) {
        throw refusal(error, label);
      }
    });
  }
  return {
    externalAccountId: null,
    credentials: { accessToken: trimmed },
    config: { livemode: trimmed.startsWith("rk_live_") },
  };
}

/** A 401 or 403 from Stripe as the owner's message; other failures go on to `callStripe`'s classification. */
export function refusal(error: unknown, label: string): unknown {
  if (!(error instanceof StripeApiError)) return error;
  if (error.status === 401) {
    return new StripeKeyRefusedError(
      "stripe_key_invalid",
      "Stripe did not accept that key (it may be deleted, expired or mistyped). Copy the restricted key again from Stripe's Dashboard.",
    );
  }
  if (error.status === 403) {
    const hint = permissionHint(error.message);
    return new StripeKeyRefusedError(
      "stripe_key_missing_permission",
      `That restricted key lacks the ${label} permission${hint ? ` (Stripe: ${hint})` : ""}. Edit the key in Stripe's Dashboard to give it ${PERMISSION_LIST}, then paste it again.`,
    );
  }
  return error;
}
