import type { Grant } from "../../src/connections/provider-oauth";
import type { AppEnv } from "../../src/env";
import { ValidationError } from "../../src/errors";
import { callStripe, platformStripe } from "./client";

/**
 * The documented fallback to OAuth: a restricted key (rk_…) the business
 * creates for Clientflow, checked by reading the account it belongs to.
 */
export async function grantFromRestrictedKey(env: AppEnv, key: string): Promise<Grant<"stripe">> {
  const trimmed = key.trim();
  if (!/^(rk|sk)_(test|live)_[A-Za-z0-9]{10,}$/.test(trimmed)) {
    throw new ValidationError("That is not a Stripe restricted key (it starts with rk_live_ or rk_test_)");
  }
  const account = await callStripe(() => platformStripe(env, trimmed).accounts.retrieveCurrent());
  return {
    externalAccountId: account.id,
    credentials: { accessToken: trimmed },
    config: { livemode: trimmed.includes("_live_") },
  };
}
