import { z } from "zod";
import { toBase64Url, utf8 } from "./encoding";
import { IntegrationError, isRetryableStatus } from "./errors";
import { type ProviderHttp, readJson, send } from "./http";
import type { Provider } from "./provider";
import { RevokedGrantError } from "./provider-oauth";

/** S256 code challenge for a PKCE verifier (RFC 7636). */
export async function codeChallenge(verifier: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(verifier))));
}

/** The provider's consent URL: `endpoint` with the given query parameters (undefined ones left out). */
export function authorizationUrl(endpoint: string, params: Record<string, string | undefined>): string {
  const url = new URL(endpoint);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** How a token endpoint wants the client to authenticate (RFC 6749 §2.3.1). */
export type ClientAuth =
  | { kind: "body"; clientId: string; clientSecret: string }
  | { kind: "basic"; clientId: string; clientSecret: string }
  | { kind: "bearer"; secret: string };

/**
 * The standard token response; providers add their own fields (kept in `raw`).
 * `refresh_token` may be absent, or `null` as Notion sends it (typed
 * `string | null` in @notionhq/client's `OauthTokenResponse`): both mean no
 * refresh token, and the connection works until its token is refused.
 */
export const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z
    .string()
    .min(1)
    .nullish()
    .transform((token) => token ?? undefined),
  expires_in: z.number().int().positive().optional(),
  /**
   * Seconds the refresh token lives, where the provider says so: Google sends
   * it when the grant itself ends (an OAuth app in "Testing": 604799, seven
   * days; docs/connection-health.md). Read by Google's exchange (integrations/google/oauth.ts).
   */
  refresh_token_expires_in: z.number().int().positive().optional(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
/** A validated token response. */
export type TokenResponse = z.infer<typeof tokenResponse>;

/** The error body of a token endpoint (RFC 6749 §5.2); HubSpot uses `status`. */
export function oauthErrorCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { error?: unknown; status?: unknown };
  return typeof b.error === "string" ? b.error : typeof b.status === "string" ? b.status : undefined;
}

/** How token and revocation endpoints' responses are read (their errors carry an OAuth code). */
export const oauthHttp = (provider: string): ProviderHttp => ({
  provider,
  requestIdHeader: "x-request-id",
  errorMessage: (body) => oauthErrorCode(body),
});

/** Codes meaning the grant itself is gone: the connection must be made again. */
export const REVOKED_GRANT = new Set(["invalid_grant", "BAD_REFRESH_TOKEN", "unauthorized_client"]);

/**
 * POSTs a token request (code exchange or refresh) and validates the answer.
 * Throws IntegrationError; its message carries the OAuth error code. With a
 * `signal` (e.g. `AbortSignal.timeout`), a call cut off at any point, while
 * connecting or while its body is read, is a retryable IntegrationError.
 */
export async function requestToken(
  provider: string,
  endpoint: string,
  auth: ClientAuth,
  params: Record<string, string>,
  format: "form" | "json" = "form",
  signal?: AbortSignal,
): Promise<TokenResponse> {
  try {
    return await postToken(provider, endpoint, auth, params, format, signal);
  } catch (error) {
    if (!signal?.aborted || error instanceof OAuthTokenError) throw error;
    throw new IntegrationError({
      provider,
      httpStatus: 0,
      message: `${provider} token endpoint timed out`,
      retryable: true,
      cause: error,
    });
  }
}

async function postToken(
  provider: string,
  endpoint: string,
  auth: ClientAuth,
  params: Record<string, string>,
  format: "form" | "json",
  signal: AbortSignal | undefined,
): Promise<TokenResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  const fields = { ...params };
  if (auth.kind === "body") Object.assign(fields, { client_id: auth.clientId, client_secret: auth.clientSecret });
  if (auth.kind === "basic") headers.authorization = `Basic ${btoa(`${auth.clientId}:${auth.clientSecret}`)}`;
  if (auth.kind === "bearer") headers.authorization = `Bearer ${auth.secret}`;
  headers["content-type"] = format === "json" ? "application/json" : "application/x-www-form-urlencoded";
  const body = format === "json" ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const response = await send(oauthHttp(provider), endpoint, { method: "POST", headers, body, signal });
  if (!response.ok) {
    const errorBody = await response.json().catch(() => null);
    throw new OAuthTokenError(provider, response.status, oauthErrorCode(errorBody) ?? "unknown_error");
  }
  return readJson(oauthHttp(provider), response, tokenResponse);
}

/** A token endpoint's refusal, with its OAuth error code (`invalid_grant`, …). */
export class OAuthTokenError extends IntegrationError {
  override name = "OAuthTokenError";
  constructor(
    provider: string,
    status: number,
    readonly oauthCode: string,
  ) {
    super({
      provider,
      httpStatus: status,
      message: `${provider} token endpoint answered ${status}: ${oauthCode}`,
      retryable: isRetryableStatus(status),
    });
  }

  /** The grant behind a refresh token is gone (revoked, expired, app uninstalled). */
  get revokedGrant(): boolean {
    return (this.httpStatus === 400 || this.httpStatus === 401) && REVOKED_GRANT.has(this.oauthCode);
  }
}

/**
 * A refresh-token grant; a refusal saying the grant is gone becomes
 * RevokedGrantError (the connection must be made again). `signal` bounds the
 * call (the token accessor passes a timeout well inside its refresh lease).
 */
export async function refreshGrant(
  provider: Provider,
  endpoint: string,
  auth: ClientAuth,
  refreshToken: string,
  format: "form" | "json" = "form",
  signal?: AbortSignal,
): Promise<TokenResponse> {
  try {
    return await requestToken(
      provider,
      endpoint,
      auth,
      { grant_type: "refresh_token", refresh_token: refreshToken },
      format,
      signal,
    );
  } catch (error) {
    if (error instanceof OAuthTokenError && error.revokedGrant) throw new RevokedGrantError(provider);
    throw error;
  }
}
