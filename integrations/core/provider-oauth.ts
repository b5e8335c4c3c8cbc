import type { ConfigByProvider, Provider, ProviderEnv, TokenCredentials } from "./provider";

/** What a completed authorization yields: the account, its tokens, its non-secret settings. */
export interface Grant<P extends Provider = Provider> {
  externalAccountId: string | null;
  credentials: TokenCredentials;
  config: ConfigByProvider[P];
  /** When the grant's refresh token stops working, where the provider says (ISO time); absent when it does not end. */
  refreshExpiresAt?: string;
}

/**
 * One provider's OAuth: the consent URL, the code exchange (with the account
 * it identifies), refresh and revocation. Endpoints and client credentials
 * come from the Worker's vars (`ProviderEnv`), so a local sandbox can stand in
 * for the provider.
 */
export interface ProviderOAuth<P extends Provider = Provider> {
  provider: P;
  /** Why the provider cannot be connected here (missing client id/secret), or null. */
  missingConfig(env: ProviderEnv): string | null;
  authorizeUrl(env: ProviderEnv, flow: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchange(env: ProviderEnv, flow: { code: string; codeVerifier: string; redirectUri: string }): Promise<Grant<P>>;
  /**
   * New tokens for a refresh token; throws RevokedGrantError when the grant is
   * gone. `signal` aborts the token call (a timeout: a retryable IntegrationError).
   */
  refresh?(env: ProviderEnv, refreshToken: string, options?: RefreshOptions): Promise<TokenCredentials>;
  /** Revokes at the provider, where it has an endpoint. */
  revoke?(env: ProviderEnv, credentials: TokenCredentials): Promise<void>;
}

/** How one refresh call is bounded. */
export interface RefreshOptions {
  signal?: AbortSignal;
}

/** The provider says the refresh token (the grant) is no longer valid. */
export class RevokedGrantError extends Error {
  override name = "RevokedGrantError";
  constructor(readonly provider: Provider) {
    super(`${provider} refused the refresh token`);
  }
}

/** Expiry from `expires_in` seconds, or undefined for tokens that do not expire. */
export const expiresAt = (expiresIn: number | undefined, now = Date.now()) =>
  expiresIn ? now + expiresIn * 1000 : undefined;
