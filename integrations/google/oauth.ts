import { ConnectionError } from "../core/errors";
import { send } from "../core/http";
import { authorizationUrl, oauthHttp, refreshGrant, requestToken } from "../core/oauth2";
import type { ProviderEnv } from "../core/provider";
import { expiresAt, type ProviderOAuth } from "../core/provider-oauth";
import { verifyGoogleIdToken } from "./id-token";
import { sentCheckScopes } from "./sent-check";

/** Least privilege: send mail and manage calendar events, plus the ID token's identity. */
export const googleScopes = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/calendar.events",
] as const;

const client = (env: ProviderEnv) => ({
  kind: "body" as const,
  clientId: env.GOOGLE_CLIENT_ID ?? "",
  clientSecret: env.GOOGLE_CLIENT_SECRET ?? "",
});

/**
 * Google (Gmail + Calendar) for the business's own account. `access_type=offline`
 * and `prompt=consent` make Google return a refresh token every time.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
export const googleOAuth: ProviderOAuth<"google"> = {
  provider: "google",
  missingConfig: (env) =>
    env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET ? null : "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set",
  authorizeUrl: (env, flow) =>
    authorizationUrl(`${env.GOOGLE_ACCOUNTS_BASE}/o/oauth2/v2/auth`, {
      client_id: env.GOOGLE_CLIENT_ID,
      redirect_uri: flow.redirectUri,
      response_type: "code",
      // gmail.readonly only where the deployer opted in to checking Sent mail (sent-check.ts).
      scope: [...googleScopes, ...sentCheckScopes(env)].join(" "),
      access_type: "offline",
      prompt: "consent",
      include_granted_scopes: "true",
      state: flow.state,
      code_challenge: flow.codeChallenge,
      code_challenge_method: "S256",
    }),
  async exchange(env, flow) {
    const tokens = await requestToken("google", `${env.GOOGLE_OAUTH_BASE}/token`, client(env), {
      grant_type: "authorization_code",
      code: flow.code,
      code_verifier: flow.codeVerifier,
      redirect_uri: flow.redirectUri,
    });
    if (!tokens.refresh_token) {
      throw new ConnectionError(
        "google",
        "Google returned no refresh token; remove Clientflow's access in your Google account and connect again",
      );
    }
    if (!tokens.id_token) throw new ConnectionError("google", "Google returned no ID token");
    const identity = await verifyGoogleIdToken(env, tokens.id_token, null);
    return {
      externalAccountId: identity.email,
      credentials: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: expiresAt(tokens.expires_in),
      },
      config: { email: identity.email, scopes: tokens.scope?.split(" ") },
      // Google says when a grant that ends will end (an app in "Testing": seven days): the connection
      // warnings read it to warn before, not after (src/maintenance/health-warnings.ts).
      ...(tokens.refresh_token_expires_in
        ? { refreshExpiresAt: new Date(Date.now() + tokens.refresh_token_expires_in * 1000).toISOString() }
        : {}),
    };
  },
  async refresh(env, refreshToken, options) {
    // Google keeps the refresh token: its refresh response carries none
    // (https://developers.google.com/identity/protocols/oauth2/web-server#offline).
    const tokens = await refreshGrant(
      "google",
      `${env.GOOGLE_OAUTH_BASE}/token`,
      client(env),
      refreshToken,
      "form",
      options?.signal,
    );
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: expiresAt(tokens.expires_in),
    };
  },
  async revoke(env, credentials) {
    const token = credentials.refreshToken ?? credentials.accessToken;
    if (!token) return;
    await send(oauthHttp("google"), `${env.GOOGLE_OAUTH_BASE}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
  },
};
