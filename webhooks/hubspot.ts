import { Hono } from "hono";
import { z } from "zod";
import { secretPair } from "../integrations/core/hmac";
import { verifyHubspotSignature } from "../integrations/hubspot/webhook-signature";
import { ValidationError } from "../src/errors";
import { sendToIntake } from "../src/intake/intake-queue";
import { findWorkspaceIdByAccount } from "../src/store/connections";
import { parseJson, type WebhookEnv, webhookBody } from "./body";
import { ConnectedPortals } from "./connected-portals";

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

/**
 * POST /webhooks/hubspot: raw body (shared middleware) → v3 signature →
 * batch schema → one queue message (the parsed events) → 200. Tenant
 * resolution per event, dedupe and dispatch run in the queue consumer
 * (src/intake/intake-queue.ts), so the answer does not wait for D1 writes
 * or Workflow starts. A batch whose portals no workspace connected is still
 * queued (recorded as unknown_tenant) but answered 404, as before.
 */
export const hubspotWebhook = new Hono<WebhookEnv>().post("/", webhookBody(BODY_LIMIT), async (c) => {
  const env = c.env;
  const body = c.var.rawBody;
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
  const events = parsed.data;
  const delivery = crypto.randomUUID();
  await sendToIntake(env, { delivery, provider: "hubspot", events });
  if (!(await anyPortalConnected(env, events))) {
    const message = "No workspace is connected to this HubSpot portal";
    return c.json({ error: "unknown_tenant", message, delivery }, 404);
  }
  return c.json({ received: events.length, queued: true, delivery }, 200);
});

/**
 * Portals found connected, per isolate and per D1 binding (tests run several bindings in one isolate). A
 * delivery from a remembered portal costs no D1 read on the request path; an unknown portal is read each time.
 */
const connectedPortals = new WeakMap<D1Database, ConnectedPortals>();

/** Whether any portal of the batch belongs to a workspace (remembered for a minute, else one indexed read each). */
async function anyPortalConnected(env: WebhookEnv["Bindings"], events: { portalId: string }[]): Promise<boolean> {
  let portals = connectedPortals.get(env.DB);
  if (!portals) {
    const db = env.DB;
    portals = new ConnectedPortals(
      async (portalId) => (await findWorkspaceIdByAccount(db, "hubspot", portalId)) !== null,
    );
    connectedPortals.set(env.DB, portals);
  }
  return portals.anyConnected(events.map((e) => e.portalId));
}
