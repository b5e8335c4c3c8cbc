import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, type RequestHandler } from "msw";
import { EMULATED_ACCOUNT } from "../emulators/stripe";
import { control } from "./control";
import { FaultRegistry, faultFor } from "./faults";
import { authorizePage } from "./google-consent";
import { reply, toRequest } from "./node-http";
import {
  SANDBOX_BOARD_ID,
  SANDBOX_NOTION_WORKSPACE,
  SANDBOX_OWNER,
  SANDBOX_PORTAL_ID,
  SANDBOX_PROVIDERS,
  SANDBOX_SENDER,
  SANDBOX_WORKSPACE,
  SandboxGoogle,
  SandboxHubspot,
  SandboxNotion,
  type SandboxProvider,
  SandboxStripe,
} from "./providers";
import { seedHubspot, seedNotion } from "./sample-data";

/** Tokens and secrets the Worker and the sandbox share for one run. */
export interface SandboxSecrets {
  hubspotToken: string;
  /** Signs HubSpot webhooks (the Worker's HUBSPOT_CLIENT_SECRET). */
  hubspotClientSecret: string;
  stripeKey: string;
  /** Signs Stripe events (the Worker's STRIPE_WEBHOOK_SECRET). */
  stripeWebhookSecret: string;
  notionToken: string;
  /** Signs Notion events: the public integration's verification token (the Worker's NOTION_WEBHOOK_VERIFICATION_TOKEN). */
  notionWebhookToken: string;
  googleClientId: string;
  googleClientSecret: string;
  googleRefreshToken: string;
}

/** Fresh random secrets; `keep` holds values the user configured (real webhook secrets stay theirs). */
export function generateSecrets(keep: Partial<SandboxSecrets> = {}): SandboxSecrets {
  const r = (n = 18) => randomBytes(n).toString("base64url");
  return {
    hubspotToken: `pat-sandbox-${r()}`,
    hubspotClientSecret: `sandbox-hubspot-${r()}`,
    stripeKey: `sk_test_sandbox_${r()}`,
    stripeWebhookSecret: `whsec_sandbox_${r()}`,
    notionToken: `ntn_sandbox_${r()}`,
    notionWebhookToken: `secret_sandbox_${r(24)}`,
    googleClientId: "sandbox-google-client.apps.sandbox.test",
    googleClientSecret: `sandbox-google-${r()}`,
    googleRefreshToken: `1//sandbox-${r()}`,
    ...Object.fromEntries(Object.entries(keep).filter(([, v]) => v)),
  };
}

/**
 * The Worker's variables for a run against the sandbox at `origin`: the API
 * bases of the sandboxed providers, the SEED_* connections (source
 * "sandbox") and the secrets that sign the sandbox's webhook deliveries.
 * Secret values: write them to a file of mode 600, never on a command line.
 */
export function workerVars(
  origin: string,
  providers: readonly SandboxProvider[],
  secrets: SandboxSecrets,
  workspaceId: string = SANDBOX_WORKSPACE.id,
): Record<string, string> {
  const on = (p: SandboxProvider) => providers.includes(p);
  const vars: Record<string, string> = {
    SANDBOX_URL: origin,
    SANDBOX_PROVIDERS: providers.join(","),
    SEED_FROM_ENV: "true",
    SEED_WORKSPACE_ID: workspaceId,
    SEED_HUBSPOT_CLOSED_WON_STAGE: "closedwon",
  };
  if (on("hubspot")) {
    Object.assign(vars, {
      HUBSPOT_API_BASE: `${origin}/hubspot`,
      HUBSPOT_APP_BASE: `${origin}/hubspot-app`,
      HUBSPOT_CLIENT_SECRET: secrets.hubspotClientSecret,
      SEED_HUBSPOT_PORTAL_ID: SANDBOX_PORTAL_ID,
      SEED_HUBSPOT_ACCESS_TOKEN: secrets.hubspotToken,
    });
  }
  if (on("stripe")) {
    Object.assign(vars, {
      // The stripe SDK takes a host and port but no base path: Stripe's /v1/… is served at the root.
      STRIPE_API_BASE: origin,
      STRIPE_WEBHOOK_SECRET: secrets.stripeWebhookSecret,
      SEED_STRIPE_SECRET_KEY: secrets.stripeKey,
      // The account the key acts in: the Worker routes Connect events by it (event.account).
      SEED_STRIPE_ACCOUNT_ID: EMULATED_ACCOUNT,
    });
  }
  if (on("notion")) {
    Object.assign(vars, {
      NOTION_API_BASE: `${origin}/notion`,
      NOTION_WEBHOOK_VERIFICATION_TOKEN: secrets.notionWebhookToken,
      SEED_NOTION_TOKEN: secrets.notionToken,
      SEED_NOTION_BOARD_ID: SANDBOX_BOARD_ID,
      SEED_NOTION_BOARD_NAME: "Client projects",
      SEED_NOTION_WORKSPACE_ID: SANDBOX_NOTION_WORKSPACE,
    });
  }
  if (on("google")) {
    Object.assign(vars, {
      GOOGLE_API_BASE: `${origin}/google`,
      GOOGLE_OAUTH_BASE: `${origin}/google`,
      GOOGLE_ACCOUNTS_BASE: `${origin}/google`,
      GOOGLE_CLIENT_ID: secrets.googleClientId,
      GOOGLE_CLIENT_SECRET: secrets.googleClientSecret,
      SEED_GOOGLE_REFRESH_TOKEN: secrets.googleRefreshToken,
      SEED_GOOGLE_EMAIL: SANDBOX_SENDER,
      SEED_OWNER_SUB: SANDBOX_OWNER.sub,
      SEED_OWNER_EMAIL: SANDBOX_OWNER.email,
    });
  }
  return vars;
}

/** One provider API request as the sandbox answered it; `at` in epoch milliseconds. */
export interface TrafficEntry {
  at: number;
  method: string;
  path: string;
  status: number;
}

/** The running sandbox: emulators, their state and the Worker they deliver webhooks to. */
export interface Sandbox {
  origin: string;
  providers: readonly SandboxProvider[];
  /** The Clientflow workspace seeded with the sandbox connections. */
  workspaceId: string;
  hubspot: SandboxHubspot;
  stripe: SandboxStripe;
  notion: SandboxNotion;
  google: SandboxGoogle;
  secrets: SandboxSecrets;
  /** Simulated outages: the next matching provider API calls answer with an error (see faults.ts). */
  faults: FaultRegistry;
  /** When each sent email arrived (Gmail's send answer has no date). */
  sentAt: Map<string, string>;
  /** Every provider API request answered (control API and sign-in pages left out), 429s included: bench/burst.mjs counts it. */
  traffic: TrafficEntry[];
  /** Where webhooks go: `${workerUrl}/webhooks/<provider>`; settable once the Worker's port is known. */
  workerUrl: string;
  /** Vars for the Worker (see workerVars). */
  vars(): Record<string, string>;
  /** Once the Worker runs: the Notion subscription handshake, which also makes the Worker seed its workspace. */
  prime(): Promise<{ status: number }>;
  close(): Promise<void>;
}

/**
 * Starts the provider sandbox: one HTTP server on 127.0.0.1 serving the
 * HubSpot, Notion and Google emulators (the msw handlers the tests use)
 * under /hubspot, /notion and /google, Stripe's at the root (/v1/…: its SDK
 * takes no base path), Google's sign-in page,
 * and the control API under /control (see control.ts). Simulated outages
 * (faults.ts) answer matching provider API calls before the emulators do.
 * State lives in memory.
 */
export async function startSandbox(options: {
  port?: number;
  workerUrl?: string;
  providers?: readonly SandboxProvider[];
  secrets?: SandboxSecrets;
  /** The workspace to seed (default "demo"); the owner's own when Google is real. */
  workspaceId?: string;
}): Promise<Sandbox> {
  const workspaceId = options.workspaceId || SANDBOX_WORKSPACE.id;
  const providers = options.providers ?? SANDBOX_PROVIDERS;
  const secrets = options.secrets ?? generateSecrets();
  let handlers: RequestHandler[] = [];
  let sandbox: Sandbox | undefined;
  const server: Server = createServer((req, res) => {
    const current = sandbox;
    if (!current) {
      res.statusCode = 503;
      res.end("starting");
      return;
    }
    toRequest(req, current.origin)
      .then(async (request) => {
        const path = new URL(request.url).pathname;
        const response =
          (path.startsWith("/control/") ? await control(current, request) : undefined) ??
          (path.startsWith("/hubspot-app/") ? Response.redirect(`${current.workerUrl}/sandbox`, 302) : undefined) ??
          (path === "/google/o/oauth2/v2/auth" ? await authorizePage(current, request) : undefined) ??
          faultFor(current.faults, request) ??
          (await getResponse(handlers, request)) ??
          Response.json({ error: "unhandled", route: `${req.method} ${path}` }, { status: 501 });
        stampSent(current);
        if (!path.startsWith("/control/") && !path.startsWith("/hubspot-app/") && !path.endsWith("/oauth2/v2/auth")) {
          current.traffic.push({ at: Date.now(), method: request.method, path, status: response.status });
        }
        await reply(res, response);
      })
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(error instanceof Error ? error.message : "error");
      });
  });
  // Node closes an idle keep-alive connection after 5 s by default. workerd reuses its pooled
  // connections to the sandbox, and a request sent just as Node closes one fails with "Network
  // connection lost": under a burst (150 deals won at once) that cost ~200 step retries. Idle
  // connections stay open for 10 minutes, so the client (workerd) is the side that closes them.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hubspot = new SandboxHubspot(`${origin}/hubspot`, secrets.hubspotToken, secrets.hubspotClientSecret);
  // Hosted invoice links point at the Worker's sandbox invoice page, once the Worker's URL is known.
  const stripe = new SandboxStripe(origin, secrets.stripeKey, () => sandbox?.workerUrl ?? options.workerUrl ?? "");
  const notion = new SandboxNotion(`${origin}/notion`, secrets.notionToken, secrets.notionWebhookToken);
  const google = new SandboxGoogle(`${origin}/google`, origin, secrets.googleClientId, secrets.googleClientSecret);
  google.refreshTokens.add(secrets.googleRefreshToken);
  seedHubspot(hubspot);
  seedNotion(notion);
  handlers = [...hubspot.handlers(), ...stripe.handlers(), ...notion.handlers(), ...google.handlers()];
  const created: Sandbox = {
    origin,
    providers,
    workspaceId,
    hubspot,
    stripe,
    notion,
    google,
    secrets,
    faults: new FaultRegistry(),
    sentAt: new Map(),
    traffic: [],
    workerUrl: options.workerUrl ?? "",
    vars: () => workerVars(origin, providers, secrets, workspaceId),
    prime: async () => {
      const response = await control(
        created,
        new Request(`${origin}/control/prime`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      );
      return (await response?.json()) as { status: number };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  sandbox = created;
  return created;
}

function stampSent(sandbox: Sandbox): void {
  for (const mail of sandbox.google.sent) {
    if (!sandbox.sentAt.has(mail.id)) sandbox.sentAt.set(mail.id, new Date().toISOString());
  }
}
