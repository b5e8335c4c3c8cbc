import { z } from "zod";
import type { AppEnv } from "../../src/env";
import { ConnectionError } from "../../src/errors";
import { getConnection, setConnectionStatus, updateCredentials } from "../../src/store/connections";
import { type ProviderHttp, readJson, send } from "../http";

/** Least privilege: send mail and manage calendar events, nothing else. */
export const googleScopes = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/calendar.events",
] as const;

/** Refresh this long before expiry so a token does not lapse mid-request. */
const EXPIRY_SKEW_MS = 60_000;

const googleOAuthHttp: ProviderHttp = {
  provider: "google",
  requestIdHeader: "x-request-id",
  errorMessage: (body) =>
    typeof body === "object" && body !== null && "error" in body ? String(body.error) : undefined,
};

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/**
 * A valid Gmail/Calendar access token: the stored one while fresh, else a new
 * one from the refresh token (stored encrypted). `invalid_grant` means the
 * grant was revoked: the connection is marked needs_reconnect.
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline
 */
export async function googleAccessToken(env: AppEnv, workspaceId: string, now = Date.now()): Promise<string> {
  const connection = await getConnection(env.DB, env, workspaceId, "google");
  const { accessToken, expiresAt, refreshToken } = connection.credentials;
  if (accessToken && expiresAt && expiresAt - EXPIRY_SKEW_MS > now) return accessToken;
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) {
    throw new ConnectionError("google", "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not configured");
  }
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: env.GOOGLE_CLIENT_ID,
    client_secret: env.GOOGLE_CLIENT_SECRET,
  });
  const response = await send(googleOAuthHttp, `${env.GOOGLE_OAUTH_BASE}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: form,
  });
  if (response.status === 400) {
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { error?: string };
    if (body.error === "invalid_grant") {
      await setConnectionStatus(env.DB, workspaceId, "google", "needs_reconnect");
      throw new ConnectionError("google", "Reconnect google: the refresh token was revoked or expired");
    }
  }
  const token = await readJson(googleOAuthHttp, response, tokenResponse);
  await updateCredentials(env.DB, env, workspaceId, "google", {
    refreshToken,
    accessToken: token.access_token,
    expiresAt: now + token.expires_in * 1000,
  });
  return token.access_token;
}

/** The connected Google account's address: the From of every email. */
export async function googleConnectedEmail(env: AppEnv, workspaceId: string): Promise<string> {
  const connection = await getConnection(env.DB, env, workspaceId, "google");
  const email = connection.config.email ?? connection.externalAccountId;
  if (!email) throw new ConnectionError("google", "Reconnect google: the account email is unknown");
  return email;
}
