import { z } from "zod";
import { ConnectionError } from "../core/errors";
import { send } from "../core/http";
import { authorizationUrl, oauthHttp, refreshGrant, requestToken } from "../core/oauth2";
import type { ProviderEnv } from "../core/provider";
import { expiresAt, type ProviderOAuth } from "../core/provider-oauth";
import { hubspotScopes } from "./auth";

const client = (env: ProviderEnv) => ({
  kind: "body" as const,
  clientId: env.HUBSPOT_CLIENT_ID ?? "",
  clientSecret: env.HUBSPOT_CLIENT_SECRET ?? "",
});

/** The 2026-03 token response carries the hub (portal) id and granted scopes. */
const hubspotToken = z.looseObject({
  hub_id: z.union([z.number(), z.string()]).transform(String),
  scopes: z.array(z.string()).optional(),
});

/**
 * HubSpot public-app OAuth on the date-versioned token endpoint (v1 is sunset
 * in 2027). Credentials go in the form body; access tokens live 30 minutes
 * (`expires_in`). PKCE is not documented for HubSpot, so `state` alone guards
 * the flow. https://developers.hubspot.com/docs/api-reference/latest/authentication/oauth-tokens
 */
export const hubspotOAuth: ProviderOAuth<"hubspot"> = {
  provider: "hubspot",
  missingConfig: (env) =>
    env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET
      ? null
      : "HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are not set",
  authorizeUrl: (env, flow) =>
    authorizationUrl(`${env.HUBSPOT_APP_BASE}/oauth/authorize`, {
      client_id: env.HUBSPOT_CLIENT_ID,
      redirect_uri: flow.redirectUri,
      scope: hubspotScopes.join(" "),
      state: flow.state,
    }),
  async exchange(env, flow) {
    const tokens = await requestToken("hubspot", `${env.HUBSPOT_API_BASE}/oauth/2026-03/token`, client(env), {
      grant_type: "authorization_code",
      code: flow.code,
      redirect_uri: flow.redirectUri,
    });
    const account = hubspotToken.safeParse(tokens);
    if (!account.success) throw new ConnectionError("hubspot", "HubSpot did not say which account was connected");
    return {
      externalAccountId: account.data.hub_id,
      credentials: {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: expiresAt(tokens.expires_in),
      },
      config: { portalId: account.data.hub_id, scopes: account.data.scopes },
    };
  },
  async refresh(env, refreshToken, options) {
    // The 2026-03 token endpoint answers a refresh with access and refresh
    // tokens; the one it sends is stored, whether or not it changed
    // (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token).
    const tokens = await refreshGrant(
      "hubspot",
      `${env.HUBSPOT_API_BASE}/oauth/2026-03/token`,
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
    if (!credentials.refreshToken) return;
    await send(oauthHttp("hubspot"), `${env.HUBSPOT_API_BASE}/oauth/2026-03/token/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: env.HUBSPOT_CLIENT_ID ?? "",
        client_secret: env.HUBSPOT_CLIENT_SECRET ?? "",
        token: credentials.refreshToken,
        token_type_hint: "refresh_token",
      }).toString(),
    });
  },
};
