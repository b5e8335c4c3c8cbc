import type { OnboardingParams } from "./engine/onboarding-params";
import type { ProcessParams } from "./engine/process-params";

/**
 * Bindings, vars and secrets of the Worker. Read per request (or per Workflow
 * run) from the `env` the runtime hands over, never at module scope.
 */
export interface AppEnv {
  DB: D1Database;
  ONBOARDING: Workflow<OnboardingParams>;
  /** The process interpreter: one instance per journey (leads included), running its template version. */
  PROCESS: Workflow<ProcessParams>;
  /** Durable notification emails started by webhooks (e.g. a failed payment). */
  NOTIFY: Workflow<import("./tasks/notify-workflow").NotifyParams>;

  /** Provider hosts; defaults are the real APIs (wrangler.toml). */
  HUBSPOT_API_BASE: string;
  HUBSPOT_APP_BASE: string;
  STRIPE_API_BASE: string;
  NOTION_API_BASE: string;
  GOOGLE_API_BASE: string;
  GOOGLE_OAUTH_BASE: string;
  /** Google's authorization server (sign-in and Gmail consent); also the ID token issuer. */
  GOOGLE_ACCOUNTS_BASE: string;
  /** Where Stripe sends a business to authorize the app (Stripe Apps OAuth). */
  STRIPE_AUTHORIZE_BASE: string;
  /** Public origin for OAuth redirect URIs; defaults to the request's origin. */
  PUBLIC_URL?: string;

  /** AES-GCM key (base64, 32 bytes) for credentials at rest; PREVIOUS only decrypts. */
  ENCRYPTION_KEY: string;
  ENCRYPTION_KEY_PREVIOUS?: string;

  /** HubSpot app (OAuth) client id. */
  HUBSPOT_CLIENT_ID?: string;
  /** HubSpot app client secret: OAuth, and signs webhook deliveries (v3). PREVIOUS eases rotation. */
  HUBSPOT_CLIENT_SECRET?: string;
  HUBSPOT_CLIENT_SECRET_PREVIOUS?: string;
  /** Stripe endpoint signing secret (whsec_…). PREVIOUS eases rotation. */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
  /** Notion public integration (OAuth) client. */
  NOTION_CLIENT_ID?: string;
  NOTION_CLIENT_SECRET?: string;
  /** Stripe App: its OAuth client id and the platform secret key that exchanges codes. */
  STRIPE_CLIENT_ID?: string;
  STRIPE_PLATFORM_SECRET_KEY?: string;
  /** Google OAuth client: owner sign-in, Gmail/Calendar consent and token refresh. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;

  /** Local development only (`npm start`): the provider sandbox's origin, and which providers it stands in for. */
  SANDBOX_URL?: string;
  SANDBOX_PROVIDERS?: string;

  /** Local development only: seed one workspace from the SEED_* values. */
  SEED_FROM_ENV?: string;
  SEED_WORKSPACE_ID?: string;
  SEED_WORKSPACE_NAME?: string;
  SEED_HUBSPOT_PORTAL_ID?: string;
  SEED_HUBSPOT_ACCESS_TOKEN?: string;
  SEED_HUBSPOT_CLOSED_WON_STAGE?: string;
  SEED_STRIPE_SECRET_KEY?: string;
  SEED_STRIPE_ACCOUNT_ID?: string;
  SEED_NOTION_TOKEN?: string;
  SEED_NOTION_BOARD_ID?: string;
  SEED_NOTION_BOARD_NAME?: string;
  SEED_GOOGLE_REFRESH_TOKEN?: string;
  SEED_GOOGLE_EMAIL?: string;
  SEED_AGREEMENT_URL?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends AppEnv {}
    /** Types `exports` / `ctx.exports` from the Worker's main module. */
    interface GlobalProps {
      mainModule: typeof import("./index");
    }
  }
}
