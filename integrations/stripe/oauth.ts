import { z } from "zod";
import { ConnectionError } from "../core/errors";
import { authorizationUrl, refreshGrant, requestToken } from "../core/oauth2";
import type { ProviderEnv } from "../core/provider";
import type { ProviderOAuth } from "../core/provider-oauth";

/** Stripe App access tokens last one hour and the token response does not say so. */
const ACCESS_TOKEN_TTL_MS = 60 * 60 * 1000;

const stripeToken = z.looseObject({ stripe_user_id: z.string().startsWith("acct_"), livemode: z.boolean().optional() });

/** The app's own secret key authenticates as the Basic username, with an empty password. */
const platform = (env: ProviderEnv) => ({
  kind: "basic" as const,
  clientId: env.STRIPE_PLATFORM_SECRET_KEY ?? "",
  clientSecret: "",
});

/**
 * A Stripe App installed on the business's own account (Stripe's current
 * recommendation; Connect OAuth is not meant for this). Refresh tokens rotate
 * on every use. Stripe Apps have no deauthorize endpoint: disconnecting
 * deletes our tokens and the business uninstalls the app in its Dashboard.
 * https://docs.stripe.com/stripe-apps/api-authentication/oauth
 */
export const stripeOAuth: ProviderOAuth<"stripe"> = {
  provider: "stripe",
  missingConfig: (env) =>
    env.STRIPE_CLIENT_ID && env.STRIPE_PLATFORM_SECRET_KEY
      ? null
      : "STRIPE_CLIENT_ID and STRIPE_PLATFORM_SECRET_KEY are not set (or paste a restricted key instead)",
  authorizeUrl: (env, flow) =>
    authorizationUrl(`${env.STRIPE_AUTHORIZE_BASE}/oauth/v2/authorize`, {
      client_id: env.STRIPE_CLIENT_ID,
      redirect_uri: flow.redirectUri,
      state: flow.state,
    }),
  async exchange(env, flow) {
    const tokens = await requestToken("stripe", `${env.STRIPE_API_BASE}/v1/oauth/token`, platform(env), {
      grant_type: "authorization_code",
      code: flow.code,
    });
    const account = stripeToken.safeParse(tokens);
    if (!account.success) throw new ConnectionError("stripe", "Stripe did not say which account was connected");
    return {
      externalAccountId: account.data.stripe_user_id,
      credentials: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: Date.now() + ACCESS_TOKEN_TTL_MS,
      },
      config: { livemode: account.data.livemode, scopes: tokens.scope?.split(" ") },
    };
  },
  async refresh(env, refreshToken, options) {
    const tokens = await refreshGrant(
      "stripe",
      `${env.STRIPE_API_BASE}/v1/oauth/token`,
      platform(env),
      refreshToken,
      "form",
      options?.signal,
    );
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Date.now() + ACCESS_TOKEN_TTL_MS,
    };
  },
};
