import { ValidationError } from "../core/errors";
import type { Grant } from "../core/provider-oauth";
import { callStripe, platformStripe } from "./client";

/**
 * The documented fallback to OAuth: a restricted key (rk_…) the business
 * creates for Clientflow, checked by reading the account it belongs to at
 * Stripe's API (`apiBase`).
 */
export async function grantFromRestrictedKey(apiBase: string, key: string): Promise<Grant<"stripe">> {
  const trimmed = key.trim();
  if (!/^(rk|sk)_(test|live)_[A-Za-z0-9]{10,}$/.test(trimmed)) {
    throw new ValidationError("That is not a Stripe restricted key (it starts with rk_live_ or rk_test_)");
  }
  const account = await callStripe(() => platformStripe(apiBase, trimmed).accounts.retrieveCurrent());
  return {
    externalAccountId: account.id,
    credentials: { accessToken: trimmed },
    config: { livemode: trimmed.includes("_live_") },
  };
}
