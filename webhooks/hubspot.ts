import { Hono } from "hono";
import { z } from "zod";
import { secretPair } from "../integrations/core/hmac";
import { verifyHubspotSignature } from "../integrations/hubspot/webhook-signature";
import type { AppEnv } from "../src/env";
import { ValidationError } from "../src/errors";
import { dispatchHubspot, normalizeHubspot } from "../src/intake/dispatch-hubspot";
import { hubspotEventKey } from "../src/intake/hubspot-event-key";
import { serializeEvent } from "../src/intake/normalized";
import { log } from "../src/log";
import { findWorkspace, type Workspace } from "../src/settings/workspaces";
import { findWorkspaceIdByAccount } from "../src/store/connections";
import { journeysOfDeals } from "../src/store/journey-lookups";
import { markWebhookEventProcessed, recordWebhookEvents } from "../src/store/webhook-events";
import { parseJson, readRawBody, requireJson } from "./read-body";

/** A batch holds fewer than 100 events of a few hundred bytes each. */
const BODY_LIMIT = 256 * 1024;

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/**
 * One HubSpot webhook event (https://developers.hubspot.com/docs/api/webhooks), legacy
 * (`deal.propertyChange`) or generic (`object.propertyChange` with `objectTypeId`, e.g. `0-3`;
 * see src/intake/dispatch-hubspot.ts). `changeSource`/`sourceId` say who made the change.
 */
const hubspotEvent = z
  .object({
    eventId: id,
    portalId: id,
    objectId: id,
    subscriptionType: z.string().optional(),
    eventType: z.string().optional(),
    objectTypeId: z.string().max(100).optional(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    occurredAt: z.number().optional(),
    attemptNumber: z.number().optional(),
    changeSource: z.string().max(100).optional(),
    sourceId: z.string().max(200).optional(),
  })
  .transform((e) => ({ ...e, type: e.subscriptionType ?? e.eventType ?? "unknown" }));

const hubspotBatch = z.array(hubspotEvent).min(1).max(100);

/** Normalized types that are dispatched; every other event is recorded as ignored at receipt. */
const DISPATCHED = new Set([
  "hubspot.deal.won",
  "hubspot.deal.stage_changed",
  "hubspot.deal.created",
  "hubspot.contact.created",
]);

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

  // HubSpot's eventId alone may repeat across different changes: dedupe on the change itself.
  const keys = await Promise.all(parsed.data.map((event) => hubspotEventKey(event)));
  const workspaces = new Map<string, Workspace | null>();
  for (const portalId of new Set(parsed.data.map((e) => e.portalId))) {
    const workspaceId = await findWorkspaceIdByAccount(env.DB, "hubspot", portalId);
    workspaces.set(portalId, workspaceId ? await findWorkspace(env.DB, workspaceId) : null);
  }
  const normalized = parsed.data.map((event) => {
    const workspace = workspaces.get(event.portalId) ?? null;
    return workspace ? normalizeHubspot(event, workspace) : null;
  });
  // Stage changes matter only for deals with a journey: one lookup for the whole batch.
  const journeysByDeal = new Map<string, string>();
  for (const workspace of new Set(workspaces.values())) {
    if (!workspace) continue;
    const deals = parsed.data.flatMap((e, i) => {
      const n = normalized[i];
      return workspaces.get(e.portalId)?.id === workspace.id && n?.type === "hubspot.deal.stage_changed"
        ? [n.dealId]
        : [];
    });
    for (const [deal, journey] of await journeysOfDeals(env.DB, workspace.id, deals))
      journeysByDeal.set(`${workspace.id}:${deal}`, journey);
  }
  // Outcomes known at receipt are stored with the event; the rest wait for dispatch. The
  // normalized event goes in the same insert (one statement batch), kept for replay.
  const rows = parsed.data.map((event, i) => {
    const workspace = workspaces.get(event.portalId) ?? null;
    const kind = normalized[i] ?? null;
    const journeyless =
      kind?.type === "hubspot.deal.stage_changed" && !journeysByDeal.has(`${workspace?.id}:${kind.dealId}`);
    return {
      event,
      workspace,
      kind,
      row: {
        provider: "hubspot",
        workspaceId: workspace?.id ?? "",
        eventId: keys[i] ?? event.eventId,
        eventType: event.type,
        outcome: !workspace
          ? "unknown_tenant"
          : !journeyless && DISPATCHED.has(kind?.type ?? "")
            ? undefined
            : "ignored",
        payload: kind ? serializeEvent(kind) : null,
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
  for (const [i, { event, workspace, kind, row }] of rows.entries()) {
    if (recorded[i] === "duplicate") {
      tally.duplicates++;
      continue;
    }
    // A redelivery of an event a crash left undispatched: settle it now.
    if (recorded[i] === "retry" && row.outcome) await markWebhookEventProcessed(env.DB, row, row.outcome);
    if (!workspace || !kind) {
      tally.unknownTenant++;
      log.warn("webhook for unknown tenant", { provider: "hubspot", eventId: row.eventId, portal: event.portalId });
      continue;
    }
    if (row.outcome === "ignored") {
      tally.ignored++;
      continue;
    }
    const ctx = { workspaceId: workspace.id, eventId: row.eventId, mode: "delivery" as const };
    const knownJourney =
      kind.type === "hubspot.deal.stage_changed"
        ? (journeysByDeal.get(`${workspace.id}:${kind.dealId}`) ?? null)
        : null;
    const { outcome, journeyId } = await dispatchHubspot(env, ctx, kind, knownJourney);
    if (outcome === "started") tally.started++;
    else if (outcome === "ignored") tally.ignored++;
    else if (kind.type !== "hubspot.deal.won") tally.dispatched++;
    await markWebhookEventProcessed(env.DB, row, outcome, journeyId);
    log.info("journey dispatch", {
      provider: "hubspot",
      tenant: workspace.id,
      eventId: row.eventId,
      journeyId: journeyId ?? undefined,
      outcome,
    });
  }
  if (tally.unknownTenant === tally.received) {
    return c.json({ error: "unknown_tenant", message: "No workspace is connected to this HubSpot portal" }, 404);
  }
  return c.json(tally, 200);
});
