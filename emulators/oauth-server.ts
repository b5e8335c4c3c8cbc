import { HttpResponse } from "msw";

/** Who consented, and what the provider says about the account. */
export type Identity = Record<string, unknown>;

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  identity: Identity;
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const oauthError = (status: number, error: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ error, error_description: error, ...extra }, { status });

/**
 * An OAuth 2.0 authorization server as the providers run it: one-time codes
 * bound to client, redirect URI and PKCE challenge; refresh tokens that may
 * rotate; revocation; and a count of token calls.
 */
export class OAuthServer {
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, Identity>();
  readonly accessTokens = new Map<string, Identity>();
  tokenCalls = 0;
  private seq = 0;

  constructor(
    readonly name: string,
    readonly clientId: string,
    readonly options: { rotateRefreshTokens: boolean; expiresIn?: number; refreshErrorBody?: Record<string, unknown> },
  ) {}

  /** The provider's consent screen: the user says yes and the browser is sent back with a code. */
  async consent(
    authorizeUrl: string,
    identity: Identity,
  ): Promise<{ code: string; state: string; redirectUri: string }> {
    const url = new URL(authorizeUrl);
    const clientId = url.searchParams.get("client_id");
    if (clientId !== this.clientId) throw new Error(`${this.name}: wrong client_id ${clientId}`);
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    this.seq += 1;
    const code = `${this.name}-code-${this.seq}`;
    this.codes.set(code, { clientId, redirectUri, challenge: url.searchParams.get("code_challenge"), identity });
    return { code, state: url.searchParams.get("state") ?? "", redirectUri };
  }

  /** Tokens as if a consent and exchange had happened (for tests that start connected). */
  mint(identity: Identity) {
    return this.issue(identity);
  }

  private issue(identity: Identity, refreshToken?: string) {
    this.seq += 1;
    const accessToken = `${this.name}-access-${this.seq}`;
    this.accessTokens.set(accessToken, identity);
    const nextRefresh =
      refreshToken && !this.options.rotateRefreshTokens ? refreshToken : `${this.name}-refresh-${this.seq}`;
    if (refreshToken && this.options.rotateRefreshTokens) this.refreshTokens.delete(refreshToken);
    this.refreshTokens.set(nextRefresh, identity);
    return {
      access_token: accessToken,
      refresh_token: nextRefresh,
      expires_in: this.options.expiresIn,
      token_type: "bearer",
    };
  }

  /**
   * The code exchange's tokens; an identity with `refreshToken: null` gets
   * none, as Notion may answer `refresh_token: null`.
   */
  private firstTokens(identity: Identity) {
    const tokens = this.issue(identity);
    if (identity.refreshToken !== null) return tokens;
    this.refreshTokens.delete(tokens.refresh_token);
    return { ...tokens, refresh_token: null };
  }

  /** Handles a token request's form/JSON fields once the client is authenticated. */
  async token(fields: Record<string, string>, extra: (identity: Identity) => Record<string, unknown> = () => ({})) {
    this.tokenCalls += 1;
    if (fields.grant_type === "authorization_code") {
      const grant = this.codes.get(fields.code ?? "");
      this.codes.delete(fields.code ?? "");
      if (!grant) return oauthError(400, "invalid_grant");
      if (fields.redirect_uri !== undefined && fields.redirect_uri !== grant.redirectUri)
        return oauthError(400, "invalid_grant");
      if (grant.challenge && (await s256(fields.code_verifier ?? "")) !== grant.challenge)
        return oauthError(400, "invalid_grant");
      return HttpResponse.json({ ...this.firstTokens(grant.identity), ...extra(grant.identity) });
    }
    if (fields.grant_type === "refresh_token") {
      const identity = this.refreshTokens.get(fields.refresh_token ?? "");
      if (!identity)
        return HttpResponse.json({ error: "invalid_grant", ...this.options.refreshErrorBody }, { status: 400 });
      return HttpResponse.json({ ...this.issue(identity, fields.refresh_token), ...extra(identity) });
    }
    return oauthError(400, "unsupported_grant_type");
  }

  /** The user removes the app: every token stops working. */
  revokeAll(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  revoke(token: string): void {
    this.refreshTokens.delete(token);
    this.accessTokens.delete(token);
  }

  /** An access token that stopped working before its stated expiry. */
  invalidateAccessTokens(): void {
    this.accessTokens.clear();
  }

  get liveRefreshTokens(): string[] {
    return [...this.refreshTokens.keys()];
  }
}

/** Reads client credentials from HTTP Basic. */
export function basicCredentials(request: { headers: Headers }): [string, string] | null {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Basic ")) return null;
  const [user = "", pass = ""] = atob(header.slice(6)).split(":");
  return [user, pass];
}
