/**
 * The providers Clientflow connects to. `integrations/registry.ts` holds one
 * integration per name (its type requires every one), and gives the list,
 * display names, scopes, OAuth and actions.
 */
export type Provider = "hubspot" | "stripe" | "notion" | "google";

/**
 * Secret material of a connection; stored only inside the AES-GCM envelope.
 * `accessToken` is the bearer credential (for a pasted Stripe key, the key);
 * without `expiresAt` it does not expire; without `refreshToken` it cannot be
 * refreshed.
 */
export interface TokenCredentials {
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: number;
}

/** Non-secret settings of a connection, per provider (a plain JSON column in the store). */
export interface ConfigByProvider {
  hubspot: { portalId?: string; scopes?: string[] };
  stripe: { livemode?: boolean; scopes?: string[] };
  notion: { boardId?: string; boardName?: string; workspaceName?: string; botId?: string };
  google: { email?: string; scopes?: string[] };
}

/**
 * Where a provider lives: its API origin and, for HubSpot, the web app that
 * deal links open in. From the Worker's vars, so a sandbox can stand in.
 */
export interface BasesByProvider {
  hubspot: { apiBase: string; appBase: string };
  stripe: { apiBase: string };
  notion: { apiBase: string };
  google: { apiBase: string };
}

/**
 * The Worker vars and secrets that connecting an account reads (provider
 * hosts and Clientflow's own OAuth clients), named as in wrangler.toml. The
 * app passes its env, which has these and more; an action never sees it.
 */
export interface ProviderEnv {
  /** Provider hosts; defaults are the real APIs (wrangler.toml). */
  HUBSPOT_API_BASE: string;
  HUBSPOT_APP_BASE: string;
  STRIPE_API_BASE: string;
  /** Where Stripe sends a business to authorize the app (Stripe Apps OAuth). */
  STRIPE_AUTHORIZE_BASE: string;
  NOTION_API_BASE: string;
  GOOGLE_API_BASE: string;
  GOOGLE_OAUTH_BASE: string;
  /** Google's authorization server (sign-in and Gmail consent); also the ID token issuer. */
  GOOGLE_ACCOUNTS_BASE: string;
  /** HubSpot app (OAuth) client id. */
  HUBSPOT_CLIENT_ID?: string;
  /** HubSpot app client secret: OAuth, and signs webhook deliveries (v3). */
  HUBSPOT_CLIENT_SECRET?: string;
  /** Notion public integration (OAuth) client. */
  NOTION_CLIENT_ID?: string;
  NOTION_CLIENT_SECRET?: string;
  /** Stripe App: its OAuth client id and the platform secret key that exchanges codes. */
  STRIPE_CLIENT_ID?: string;
  STRIPE_PLATFORM_SECRET_KEY?: string;
  /** Google OAuth client: owner sign-in, Gmail/Calendar consent and token refresh. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** `gmail.readonly` to let Clientflow check Sent mail before resending an email whose send may have happened. */
  GMAIL_SENT_CHECK_SCOPE?: string;
}
