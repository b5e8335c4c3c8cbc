import { Hono } from "hono";
import { z } from "zod";
import { verifyHubspotSignature } from "../integrations/hubspot/webhook-signature";
import { secretPair } from "../src/crypto/hmac";
import type { AppEnv } from "../src/env";
import { ValidationError } from "../src/errors";
import { startOnboarding } from "../src/journey/start-journey";
import { log } from "../src/log";
import { startTasks } from "../src/notifications/notify-workflow";
import { findWorkspaceIdByAccount } from "../src/store/connections";
import { markWebhookEventProcessed, recordWebhookEvents } from "../src/store/webhook-events";
import { findWorkspace, type Workspace } from "../src/store/workspaces";
import { parseJson, readRawBody, requireJson } from "./read-body";

/** A batch holds fewer than 100 events of a few hundred bytes each. */
const BODY_LIMIT = 256 * 1024;

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/** One HubSpot webhook event (https://developers.hubspot.com/docs/api/webhooks). */
const hubspotEvent = z
  .object({
    eventId: id,
    portalId: id,
    objectId: id,
    subscriptionType: z.string().optional(),
    eventType: z.string().optional(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    occurredAt: z.number().optional(),
    attemptNumber: z.number().optional(),
  })
  .transform((e) => ({ ...e, type: e.subscriptionType ?? e.eventType ?? "unknown" }));

const hubspotBatch = z.array(hubspotEvent).min(1).max(100);

type HubspotEvent = z.output<typeof hubspotEvent>;

/** Normalizes to `provider.object.verb`: a deal moved to the closed-won stage is `hubspot.deal.won`. */
function normalize(event: HubspotEvent, workspace: Workspace): string {
  if (event.type === "deal.propertyChange" && event.propertyName === "dealstage") {
    return event.propertyValue === workspace.settings.closedWonStage
      ? "hubspot.deal.won"
      : "hubspot.deal.stage_changed";
  }
  if (event.type === "deal.creation") return "hubspot.deal.created";
  if (event.type === "contact.creation") return "hubspot.contact.created";
  return `hubspot.${event.type}`;
}

/** The journeys of the given deals, by deal id (chunked under D1's bound-parameter limit). */
async function journeysOfDeals(db: D1Database, workspaceId: string, dealIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(dealIds)];
  for (let i = 0; i < unique.length; i += 90) {
    const chunk = unique.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT id, deal_id FROM journeys WHERE workspace_id = ? AND deal_id IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(workspaceId, ...chunk)
      .all<{ id: string; deal_id: string }>();
    for (const row of results) found.set(row.deal_id, row.id);
  }
  return found;
}

/** Events that need dispatching; every other type is recorded as ignored at receipt. */
const DISPATCHED = new Set([
  "hubspot.deal.won",
  "hubspot.deal.stage_changed",
  "hubspot.deal.created",
  "hubspot.contact.created",
]);

/**
 * A stage change on a deal with a journey: mirrored to the Notion card by a
 * durable task (the ping-pong guard drops echoes of our own writes).
 */
async function dispatchStageChange(
  env: AppEnv,
  workspaceId: string,
  event: HubspotEvent,
  journeyId: string | null,
): Promise<[string, string | null]> {
  if (!journeyId || !event.propertyValue) return ["ignored", null];
  const journey = { id: journeyId };
  await startTasks(env, `hubspot:${event.eventId}`, {
    workspaceId,
    journeyId: journey.id,
    fromName: "",
    tasks: [
      {
        kind: "sync-hubspot-stage",
        step: `hubspot.stage-changed.${event.eventId}`,
        dealId: event.objectId,
        stage: event.propertyValue,
        occurredAt: event.occurredAt,
      },
    ],
  });
  return ["sync_started", journey.id];
}

/**
 * POST /webhooks/hubspot: raw body → v3 signature → batch schema → per event:
 * tenant by portalId → dedupe → start the journey for won deals. The work
 * happens in the Workflow; this answers fast.
 */
export const hubspotWebhook = new Hono<{ Bindings: AppEnv }>().post("/", async (c) => {
  const env = c.env;
  requireJson(c.req.raw);
  const body = await readRawBody(c.req.raw, BODY_LIMIT);
  await verifyHubspotSignature({
    method: c.req.method,
    uri: c.req.url,
    body,
    signature: c.req.header("x-hubspot-signature-v3") ?? null,
    timestamp: c.req.header("x-hubspot-request-timestamp") ?? null,
    secrets: secretPair(env.HUBSPOT_CLIENT_SECRET, env.HUBSPOT_CLIENT_SECRET_PREVIOUS),
  });
  const parsed = hubspotBatch.safeParse(parseJson(body));
  if (!parsed.success) {
    throw new ValidationError(`Not a HubSpot event batch: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }

  const workspaces = new Map<string, Workspace | null>();
  for (const portalId of new Set(parsed.data.map((e) => e.portalId))) {
    const workspaceId = await findWorkspaceIdByAccount(env.DB, "hubspot", portalId);
    workspaces.set(portalId, workspaceId ? await findWorkspace(env.DB, workspaceId) : null);
  }
  // Stage changes matter only for deals with a journey: one lookup for the whole batch.
  const journeysByDeal = new Map<string, string>();
  for (const workspace of new Set(workspaces.values())) {
    if (!workspace) continue;
    const deals = parsed.data
      .filter(
        (e) =>
          workspaces.get(e.portalId)?.id === workspace.id && normalize(e, workspace) === "hubspot.deal.stage_changed",
      )
      .map((e) => e.objectId);
    for (const [deal, journey] of await journeysOfDeals(env.DB, workspace.id, deals))
      journeysByDeal.set(`${workspace.id}:${deal}`, journey);
  }
  // Outcomes known at receipt are stored with the event; the rest wait for dispatch.
  const rows = parsed.data.map((event) => {
    const workspace = workspaces.get(event.portalId) ?? null;
    const normalized = workspace ? normalize(event, workspace) : null;
    const journeyless =
      normalized === "hubspot.deal.stage_changed" && !journeysByDeal.has(`${workspace?.id}:${event.objectId}`);
    const type = journeyless ? null : normalized;
    return {
      event,
      workspace,
      row: {
        provider: "hubspot",
        workspaceId: workspace?.id ?? "",
        eventId: event.eventId,
        eventType: event.type,
        outcome: !workspace ? "unknown_tenant" : DISPATCHED.has(type ?? "") ? undefined : "ignored",
      },
    };
  });
  const recorded = await recordWebhookEvents(
    env.DB,
    rows.map((r) => r.row),
  );

  const tally = {
    received: parsed.data.length,
    started: 0,
    dispatched: 0,
    duplicates: 0,
    ignored: 0,
    unknownTenant: 0,
  };
  for (const [i, { event, workspace, row }] of rows.entries()) {
    if (recorded[i] === "duplicate") {
      tally.duplicates++;
      continue;
    }
    // A redelivery of an event a crash left undispatched: settle it now.
    if (recorded[i] === "retry" && row.outcome) await markWebhookEventProcessed(env.DB, row, row.outcome);
    if (!workspace) {
      tally.unknownTenant++;
      log.warn("webhook for unknown tenant", { provider: "hubspot", eventId: event.eventId, portal: event.portalId });
      continue;
    }
    if (row.outcome === "ignored") {
      tally.ignored++;
      continue;
    }
    if (normalize(event, workspace) === "hubspot.deal.stage_changed") {
      const [outcome, journeyId] = await dispatchStageChange(
        env,
        workspace.id,
        event,
        journeysByDeal.get(`${workspace.id}:${event.objectId}`) ?? null,
      );
      if (outcome === "sync_started") tally.dispatched++;
      else tally.ignored++;
      await markWebhookEventProcessed(env.DB, row, outcome, journeyId);
      continue;
    }
    const kind = normalize(event, workspace);
    if (kind === "hubspot.deal.created" || kind === "hubspot.contact.created") {
      // A repurchase by a client in follow-up, or a new lead: decided by a durable task (it reads HubSpot).
      const task =
        kind === "hubspot.deal.created"
          ? { kind: "deal-created" as const, step: `hubspot.deal-created.${event.eventId}`, dealId: event.objectId }
          : {
              kind: "contact-created" as const,
              step: `hubspot.contact-created.${event.eventId}`,
              contactId: event.objectId,
            };
      await startTasks(env, `hubspot:${event.eventId}`, {
        workspaceId: workspace.id,
        journeyId: null,
        fromName: "",
        tasks: [task],
      });
      tally.dispatched++;
      await markWebhookEventProcessed(env.DB, row, kind === "hubspot.deal.created" ? "deal_check" : "lead_check");
      continue;
    }
    const { journeyId, outcome } = await startOnboarding(env, workspace.id, event.objectId);
    if (outcome === "started") tally.started++;
    await markWebhookEventProcessed(env.DB, row, outcome, journeyId);
    log.info("journey dispatch", {
      provider: "hubspot",
      tenant: workspace.id,
      eventId: event.eventId,
      journeyId,
      outcome,
    });
  }
  if (tally.unknownTenant === tally.received) {
    return c.json({ error: "unknown_tenant", message: "No workspace is connected to this HubSpot portal" }, 404);
  }
  return c.json(tally, 200);
});
