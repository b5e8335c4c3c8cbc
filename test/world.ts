import { introspectWorkflowInstance } from "cloudflare:test";
import { exports, env as testEnv } from "cloudflare:workers";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { defineNetwork, InterceptorSource } from "msw/experimental";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { GoogleFake } from "../emulators/google";
import { HubspotFake } from "../emulators/hubspot";
import { NotionFake } from "../emulators/notion";
import { StripeFake } from "../emulators/stripe";
import { signHubspotRequest } from "../integrations/hubspot/webhook-signature";
import { type PresetId, presetTemplate } from "../src/engine/presets";
import { saveTemplate } from "../src/engine/templates";
import type { AppEnv } from "../src/env";
import { hubspotEventKey } from "../src/intake/hubspot-event-key";
import type { WorkspaceSettings } from "../src/settings/workspace-settings";
import { getWorkspace, upsertWorkspace } from "../src/settings/workspaces";
import { saveConnection } from "../src/store/connections";
import { findOwner } from "../src/store/owners";
import { TEST_BINDINGS as B } from "./bindings";
import { type ConsumedDelivery, consumedOf } from "./intake-log";
import { recordedLines, registerSecrets, tapLine } from "./log-scan";

export const APP = "https://clientflow.test";
export const HUBSPOT_TOKEN = "pat-na1-test-token";
export const STRIPE_KEY = "sk_test_clientflow";
export const NOTION_TOKEN = "ntn_test_token";
export const NOTION_BOARD = "board-0000-4000-8000-000000000001";
export const GOOGLE_REFRESH = "1//refresh-token-test";
export const SENDER_EMAIL = "studio@example.com";
registerSecrets({ HUBSPOT_TOKEN, STRIPE_KEY, NOTION_TOKEN, GOOGLE_REFRESH });

/** The four provider emulators and one msw network serving them; an unmocked request fails. */
export function createWorld() {
  const hubspot = new HubspotFake(B.HUBSPOT_API_BASE, HUBSPOT_TOKEN, {
    id: B.HUBSPOT_CLIENT_ID,
    secret: B.HUBSPOT_CLIENT_SECRET,
  });
  const stripe = new StripeFake(B.STRIPE_API_BASE, STRIPE_KEY, {
    clientId: B.STRIPE_CLIENT_ID,
    secretKey: B.STRIPE_PLATFORM_SECRET_KEY,
  });
  const notion = new NotionFake(B.NOTION_API_BASE, NOTION_TOKEN, NOTION_BOARD, undefined, {
    id: B.NOTION_CLIENT_ID,
    secret: B.NOTION_CLIENT_SECRET,
  });
  const google = new GoogleFake(
    B.GOOGLE_API_BASE,
    B.GOOGLE_OAUTH_BASE,
    B.GOOGLE_CLIENT_ID,
    B.GOOGLE_CLIENT_SECRET,
    B.GOOGLE_ACCOUNTS_BASE,
  );
  google.refreshTokens.add(GOOGLE_REFRESH);
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor()] })],
    handlers: [...hubspot.handlers(), ...stripe.handlers(), ...notion.handlers(), ...google.handlers()],
    onUnhandledFrame: "error",
    context: { quiet: true },
  });
  return { hubspot, stripe, notion, google, network };
}

export type World = ReturnType<typeof createWorld>;

/** A world whose network is on for this test file (handlers added by a test are reset after it). */
export function useWorld(): World {
  const world = createWorld();
  beforeAll(() => world.network.enable());
  afterEach(() => world.network.resetHandlers());
  afterAll(() => world.network.disable());
  return world;
}

/** The console lines of the current test (cleared before each). */
export function captureLogs(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        const line = args.map(String).join(" ");
        lines.push(line);
        tapLine(line);
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return lines;
}

/**
 * Introspects a journey's Workflow instance (the journey engine's unless
 * told) before it starts: sleeps and retry delays off; the named waits time
 * out at once. Use with `await using`.
 */
export async function watchJourney(journeyId: string, options: { timeOut?: string[]; binding?: Workflow } = {}) {
  const instance = await introspectWorkflowInstance(options.binding ?? testEnv.JOURNEYS, journeyId);
  await instance.modify(async (m) => {
    await m.disableSleeps();
    await m.disableRetryDelays();
    for (const name of options.timeOut ?? []) await m.forceEventTimeout({ name });
  });
  return instance;
}

/**
 * Introspects a journey's instance before it starts and stops it at its
 * first step, the deal read, before any provider is called: for tests about
 * the journey row and the receivers' answers. The instance ends errored.
 */
export async function haltJourney(journeyId: string) {
  const instance = await introspectWorkflowInstance(testEnv.JOURNEYS, journeyId);
  await instance.modify(async (m) => {
    await m.disableRetryDelays();
    await m.mockStepError({ name: "process.read-deal" }, new Error("halted by the test"));
    // The failed read would wait for the owner's retry or skip: holding it fails too, so the run ends.
    await m.mockStepError({ name: "journey.hold#process.read-deal#0" }, new Error("halted by the test"));
  });
  return instance;
}

/** A template for `connectWorkspace`: a preset by id, or a template of the test's own (validated on save). */
export type TestTemplate = PresetId | object;

/**
 * A workspace with all four providers connected, as OAuth (or seeding) would
 * leave it. With `template`, that template (e.g. the `onboarding` preset) is
 * saved as the workspace's template; without, won deals run the built-in default.
 */
/**
 * The client links of the test studio (agreement, booking, review): set, as
 * an owner sets them before journeys send them. A test of an unset link
 * passes null for it.
 */
export const TEST_LINKS = {
  agreementUrl: "https://brightstudio.test/agreement",
  bookingUrl: "https://brightstudio.test/book",
  reviewUrl: "https://brightstudio.test/review",
};

export async function connectWorkspace(
  env: AppEnv,
  workspaceId: string,
  portalId: string,
  options: Partial<WorkspaceSettings> & { template?: TestTemplate } = {},
) {
  const { template, ...settings } = options;
  await upsertWorkspace(env.DB, {
    id: workspaceId,
    name: "Bright Studio",
    settings: { senderName: "Ada at Bright Studio", ...TEST_LINKS, ...settings },
  });
  if (template)
    await saveTemplate(env.DB, workspaceId, typeof template === "string" ? presetTemplate(template) : template, "test");
  const base = { workspaceId, source: "oauth" as const };
  await saveConnection(env.DB, env, {
    ...base,
    provider: "hubspot",
    externalAccountId: portalId,
    credentials: { accessToken: HUBSPOT_TOKEN },
    config: { portalId },
  });
  await saveConnection(env.DB, env, {
    ...base,
    provider: "stripe",
    externalAccountId: stripeAccountOf(workspaceId),
    credentials: { accessToken: STRIPE_KEY },
    config: {},
  });
  await saveConnection(env.DB, env, {
    ...base,
    provider: "notion",
    externalAccountId: null,
    credentials: { accessToken: NOTION_TOKEN },
    config: { boardId: NOTION_BOARD },
  });
  await saveConnection(env.DB, env, {
    ...base,
    provider: "google",
    externalAccountId: SENDER_EMAIL,
    credentials: { refreshToken: GOOGLE_REFRESH },
    config: { email: SENDER_EMAIL },
  });
}

/** A HubSpot `deal.propertyChange` on dealstage, as HubSpot sends it. */
export function dealStageEvent(portalId: string, dealId: string, stage: string, eventId: number) {
  return {
    eventId,
    subscriptionId: 2481,
    portalId: Number(portalId),
    appId: 1160452,
    occurredAt: Date.now(),
    subscriptionType: "deal.propertyChange",
    attemptNumber: 0,
    objectId: Number(dealId),
    propertyName: "dealstage",
    propertyValue: stage,
    changeSource: "CRM",
    sourceId: "userId:4711",
  };
}

/** A HubSpot webhook event as a fixture sends it (numbers where HubSpot sends numbers). */
export interface HubspotFixtureEvent {
  eventId: number;
  portalId: number;
  objectId: number;
  subscriptionType: string;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  occurredAt?: number;
}

/** The id the receiver stores a HubSpot event under (src/intake/hubspot-event-key.ts). */
export const storedHubspotId = (event: HubspotFixtureEvent) =>
  hubspotEventKey({
    eventId: String(event.eventId),
    portalId: String(event.portalId),
    objectId: String(event.objectId),
    type: event.subscriptionType,
    objectTypeId: event.objectTypeId,
    propertyName: event.propertyName,
    propertyValue: event.propertyValue,
    occurredAt: event.occurredAt,
  });

/** POSTs a body to the Worker's HubSpot receiver, signed like HubSpot (v3) unless told otherwise. */
export async function postHubspot(
  body: string,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string>; unsigned?: boolean } = {},
) {
  const url = `${APP}/webhooks/hubspot`;
  const signed = options.unsigned
    ? {}
    : await signHubspotRequest({
        method: "POST",
        uri: url,
        body,
        secret: options.secret ?? B.HUBSPOT_CLIENT_SECRET,
        timestamp: options.timestamp,
      });
  const response = await exports.default.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signed, ...options.headers },
    body,
  });
  // An accepted delivery is processed off the request path: tests observe its effects once the consumer ran.
  if (response.status === 200 || response.status === 404) await consumed(response);
  return response;
}

/**
 * What the intake queue's consumer did with a delivery the receiver accepted
 * (its answer names the delivery): waits for the consumer's record of it
 * (its "intake batch" log line) and returns its tally. The wait bound only
 * turns a lost message into a failure; it asserts no timing.
 */
export async function intakeTally(response: Response) {
  const entry = await consumed(response);
  if (!entry) throw new Error(`Not a queued delivery (status ${response.status})`);
  const { received, started, dispatched, duplicates, ignored, unknownTenant } = entry;
  return { received, started, dispatched, duplicates, ignored, unknownTenant };
}

/**
 * The outcome of each intake item of a delivery the receiver accepted (the
 * consumer's record of it, waited for): what the answer itself said before
 * deliveries were queued. One item per event (a Notion event routed to
 * several workspaces is one item each).
 */
export async function intakeOutcomes(response: Response): Promise<string[]> {
  const entry = await consumed(response);
  if (!entry) throw new Error(`Not a queued delivery (status ${response.status})`);
  return entry.outcomes.split(",");
}

/** Waits until the consumer processed the delivery an accepted (200) answer names; other answers pass through. */
export async function awaitIntake(response: Response): Promise<Response> {
  if (response.status === 200) await consumed(response);
  return response;
}

/** The consumer's record of the delivery `response` names (waiting for it), or null when it names none. */
async function consumed(response: Response): Promise<ConsumedDelivery | null> {
  const { delivery } = (await response.clone().json()) as { delivery?: string };
  if (!delivery) return null;
  return vi.waitFor(
    () => {
      const [found] = consumedOf(recordedLines(), delivery);
      if (!found) throw new Error(`delivery ${delivery} not consumed yet`);
      return found;
    },
    { timeout: 20_000, interval: 20 },
  );
}

/** The Stripe account of a test workspace's (App-mode) connection, as `connectWorkspace` stores it. */
export const stripeAccountOf = (workspaceId: string) => `acct_test_${workspaceId}`;

/**
 * The account Stripe would name on a Connect delivery of `event`: in the test
 * world a journey's invoices live in its workspace's account, so an event
 * about an invoice a journey created carries that account (the Worker itself
 * never reads metadata). Other events carry none unless the test says so.
 */
function connectAccount(event: unknown): string | undefined {
  const object = (event as { data?: { object?: { metadata?: Record<string, string> } } } | null)?.data?.object;
  const workspaceId = object?.metadata?.clientflow_workspace_id;
  return workspaceId ? stripeAccountOf(workspaceId) : undefined;
}

/**
 * POSTs a Stripe event to the Worker's Connect endpoint (or `path`), signed
 * with Stripe's own test signer. `account` sets the event's account (null:
 * none); by default it is the one Stripe would send (see `connectAccount`).
 */
export async function postStripe(
  event: unknown,
  options: {
    secret?: string;
    timestamp?: number;
    rawBody?: string;
    headers?: Record<string, string>;
    account?: string | null;
    path?: string;
  } = {},
) {
  const account = options.account === undefined ? connectAccount(event) : (options.account ?? undefined);
  const delivered =
    event && typeof event === "object" && account && !("account" in event) ? { ...event, account } : event;
  const payload = options.rawBody ?? JSON.stringify(delivered);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? B.STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  const response = await exports.default.fetch(`${APP}${options.path ?? "/webhooks/stripe"}`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature, ...options.headers },
    body: payload,
  });
  // As postHubspot: an accepted delivery's effects exist once the consumer ran.
  await awaitIntake(response);
  return response;
}

/** Counts rows in a table matching a where clause (tests assert on what was stored). */
export async function count(env: AppEnv, table: string, where = "1 = 1", ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Sets (or, with null, unsets) the signed-in owner's client links, as the dashboard's Client links form does. */
export async function setOwnerLinks(
  env: AppEnv,
  sub: string,
  links: Partial<Record<keyof typeof TEST_LINKS, string | null>> = TEST_LINKS,
): Promise<string> {
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  const workspace = await getWorkspace(env.DB, workspaceId);
  await upsertWorkspace(
    env.DB,
    { id: workspaceId, name: workspace.name, settings: links as Partial<WorkspaceSettings> },
    { mergeSettings: true },
  );
  return workspaceId;
}
