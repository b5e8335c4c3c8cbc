import type { AppEnv } from "../env";
import type { ConfigByProvider, Provider, TokenCredentials } from "../store/connections";

/** What a completed authorization yields: the account, its tokens, its non-secret settings. */
export interface Grant<P extends Provider = Provider> {
  externalAccountId: string | null;
  credentials: TokenCredentials;
  config: ConfigByProvider[P];
}

/**
 * One provider's OAuth: the consent URL, the code exchange (with the account
 * it identifies), refresh and revocation. Endpoints come from env so a local
 * sandbox can stand in for the provider.
 */
export interface ProviderOAuth<P extends Provider = Provider> {
  provider: P;
  /** Why the provider cannot be connected here (missing client id/secret), or null. */
  missingConfig(env: AppEnv): string | null;
  authorizeUrl(env: AppEnv, flow: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchange(env: AppEnv, flow: { code: string; codeVerifier: string; redirectUri: string }): Promise<Grant<P>>;
  /** New tokens for a refresh token; throws RevokedGrantError when the grant is gone. */
  refresh?(env: AppEnv, refreshToken: string): Promise<TokenCredentials>;
  /** Revokes at the provider, where it has an endpoint. */
  revoke?(env: AppEnv, credentials: TokenCredentials): Promise<void>;
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
