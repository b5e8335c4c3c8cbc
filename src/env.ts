import type { ProviderEnv } from "../integrations/core/provider";
import type { ProcessParams } from "./engine/process-params";

/**
 * Bindings, vars and secrets of the Worker. Read per request (or per Workflow
 * run) from the `env` the runtime hands over, never at module scope. The
 * provider hosts and OAuth clients are declared by the integrations
 * (`ProviderEnv`), which read only those.
 */
export interface AppEnv extends ProviderEnv {
  DB: D1Database;
  /** The journey engine (the process interpreter): one instance per journey, leads included, running its template version. */
  JOURNEYS: Workflow<ProcessParams>;
  /** Durable notification emails started by webhooks (e.g. a failed payment). */
  TASKS: Workflow<import("./tasks/task-params").TaskParams>;
  /** Each connection's rate budget (src/connections/rate-budget.ts); optional so a Worker without it runs unthrottled. */
  RATE_BUDGET?: DurableObjectNamespace<import("./connections/rate-budget").RateBudget>;

  /**
   * Verified webhook deliveries, consumed off the request path. Untyped here (typing it would import the
   * intake modules into every module that reads the env): `sendToIntake` in src/intake/intake-queue.ts is
   * the one sender and takes an `IntakeMessage`.
   */
  INTAKE: Queue;

  /** The app's public origin for every link and OAuth redirect URI (src/links/public-url.ts); required for links built in Workflows. */
  PUBLIC_URL?: string;

  /** AES-GCM key (base64, 32 bytes) for credentials at rest; PREVIOUS only decrypts. */
  ENCRYPTION_KEY: string;
  ENCRYPTION_KEY_PREVIOUS?: string;

  /**
   * The HubSpot app's id (developer account → the app's details), optional: a
   * webhook event whose `sourceId` names it is Clientflow's own write. Without
   * it the journal of own writes alone tells them apart.
   */
  HUBSPOT_APP_ID?: string;
  /** The HubSpot app's previous client secret: still accepted on webhook deliveries during a rotation. */
  HUBSPOT_CLIENT_SECRET_PREVIOUS?: string;
  /** Stripe endpoint signing secret (whsec_…). PREVIOUS eases rotation. */
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_WEBHOOK_SECRET_PREVIOUS?: string;
  /**
   * The public Notion integration's webhook verification token (its one subscription). When set it wins
   * over the one confirmed on /operator/notion; events verify with nothing else.
   */
  NOTION_WEBHOOK_VERIFICATION_TOKEN?: string;
  /** Guards the operator's pages (/operator/…): HTTP Basic (any user name) or Bearer. Unset: those pages are 404. */
  OPERATOR_TOKEN?: string;

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
  }
}
