import { z } from "zod";
import { send } from "../core/http";
import { authorizationUrl, oauthHttp, refreshGrant, requestToken } from "../core/oauth2";
import type { ProviderEnv } from "../core/provider";
import type { ProviderOAuth } from "../core/provider-oauth";

const NOTION_VERSION = "2025-09-03";

const client = (env: ProviderEnv) => ({
  kind: "basic" as const,
  clientId: env.NOTION_CLIENT_ID ?? "",
  clientSecret: env.NOTION_CLIENT_SECRET ?? "",
});

const notionToken = z.looseObject({
  bot_id: z.string(),
  workspace_id: z.string(),
  workspace_name: z.string().nullable().optional(),
});

/**
 * Notion public-connection OAuth: Basic client auth, JSON bodies. Tokens do
 * not say when they expire; refresh tokens rotate (each refresh returns a new
 * pair). `refresh_token` may be `null` (`OauthTokenResponse` in
 * @notionhq/client): the connection is stored without one, works until
 * Notion refuses its token, and then needs reconnecting. The project board
 * is picked after connecting.
 * https://developers.notion.com/reference/create-a-token
 */
export const notionOAuth: ProviderOAuth<"notion"> = {
  provider: "notion",
  missingConfig: (env) =>
    env.NOTION_CLIENT_ID && env.NOTION_CLIENT_SECRET ? null : "NOTION_CLIENT_ID and NOTION_CLIENT_SECRET are not set",
  authorizeUrl: (env, flow) =>
    authorizationUrl(`${env.NOTION_API_BASE}/v1/oauth/authorize`, {
      client_id: env.NOTION_CLIENT_ID,
      response_type: "code",
      owner: "user",
      redirect_uri: flow.redirectUri,
      state: flow.state,
    }),
  async exchange(env, flow) {
    const tokens = await requestToken(
      "notion",
      `${env.NOTION_API_BASE}/v1/oauth/token`,
      client(env),
      { grant_type: "authorization_code", code: flow.code, redirect_uri: flow.redirectUri },
      "json",
    );
    const account = notionToken.parse(tokens);
    return {
      externalAccountId: account.workspace_id,
      credentials: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token },
      config: { botId: account.bot_id, workspaceName: account.workspace_name ?? undefined },
    };
  },
  async refresh(env, refreshToken, options) {
    const tokens = await refreshGrant(
      "notion",
      `${env.NOTION_API_BASE}/v1/oauth/token`,
      client(env),
      refreshToken,
      "json",
      options?.signal,
    );
    return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
  },
  async revoke(env, credentials) {
    if (!credentials.accessToken) return;
    const { clientId, clientSecret } = client(env);
    await send(oauthHttp("notion"), `${env.NOTION_API_BASE}/v1/oauth/revoke`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
        "content-type": "application/json",
        "notion-version": NOTION_VERSION,
      },
      body: JSON.stringify({ token: credentials.accessToken }),
    });
  },
};
