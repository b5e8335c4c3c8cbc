import { Hono } from "hono";
import { z } from "zod";
import { secretPair } from "../integrations/core/hmac";
import { verifyHubspotSignature } from "../integrations/hubspot/webhook-signature";
import { ValidationError } from "../src/errors";
import { hubspotIntakeItems } from "../src/intake/hubspot-receipt";
import { type IntakeItem, type IntakeOutcome, intake } from "../src/intake/intake";
import { parseJson, type WebhookEnv, webhookBody } from "./body";

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

/** Outcomes that did nothing on purpose: not dispatched, Clientflow's own write coming back, an import. */
const IGNORED = new Set(["ignored", "echo", "import_ignored"]);

/** The tally a HubSpot delivery is answered with. */
function tallyOf(outcomes: IntakeOutcome[], items: IntakeItem[]) {
  const tally = { received: outcomes.length, started: 0, dispatched: 0, duplicates: 0, ignored: 0, unknownTenant: 0 };
  for (const [i, { outcome }] of outcomes.entries()) {
    if (outcome === "duplicate") tally.duplicates++;
    else if (outcome === "unknown_tenant") tally.unknownTenant++;
    else if (outcome === "started") tally.started++;
    else if (IGNORED.has(outcome)) tally.ignored++;
    // A won deal counts as started (or not at all when its journey exists); anything else reached a journey or task.
    else if (items[i]?.event?.type !== "hubspot.deal.won") tally.dispatched++;
  }
  return tally;
}

/**
 * POST /webhooks/hubspot: raw body (shared middleware) → v3 signature →
 * batch schema → intake items (tenant by portalId, dedupe key, normalized
 * event) → intake. The work happens in the Workflow; this answers fast.
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
  const items = await hubspotIntakeItems(env, parsed.data);
  const tally = tallyOf(await intake(env, "hubspot", items), items);
  if (tally.unknownTenant === tally.received) {
    return c.json({ error: "unknown_tenant", message: "No workspace is connected to this HubSpot portal" }, 404);
  }
  return c.json(tally, 200);
});
