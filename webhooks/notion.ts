import { type Context, Hono } from "hono";
import { z } from "zod";
import { NOTION_SIGNATURE_HEADER, verifyNotionSignature } from "../integrations/notion/webhook-signature";
import type { AppEnv } from "../src/env";
import { AppError, NotFoundError, ValidationError } from "../src/errors";
import { sendToIntake } from "../src/intake/intake-queue";
import { queueNotionEvent } from "../src/intake/notion-receipt";
import { log } from "../src/log";
import { addPendingNotionToken, confirmedNotionToken } from "../src/store/notion-platform-tokens";
import {
  notionSubscriptionByUrl,
  notionWorkspaceOf,
  storeNotionSubscriptionToken,
} from "../src/store/notion-workspace-subscriptions";
import { parseJson, type WebhookEnv, webhookBody } from "./body";

/** Notion events carry ids only: a few hundred bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * The one-time handshake: exactly `{ "verification_token": "secret_…" }`,
 * unsigned (https://developers.notion.com/reference/webhooks, step 2). It
 * proves nothing about its sender: whoever can reach the URL can send one.
 */
const handshakeSchema = z.strictObject({ verification_token: z.string().min(8).max(500) });

const id = z.string().min(1).max(100);

/**
 * An event (https://developers.notion.com/reference/webhooks-events-delivery
 * and the per-type pages such as /reference/webhooks/page-properties-updated):
 * ids only, the page is re-read by the journey's durable step. `workspace_id`
 * names the Notion workspace; `accessible_by` (public integrations only) the
 * bot owners who can see the entity: kept for the shape, routing uses the
 * workspace id, which is what a connection records.
 */
const eventSchema = z.object({
  id,
  type: z.string().min(1).max(100),
  timestamp: z.string().max(40),
  workspace_id: id,
  workspace_name: z.string().max(200).optional(),
  subscription_id: id.optional(),
  integration_id: id.optional(),
  authors: z
    .array(z.object({ id, type: z.string().max(40) }))
    .max(100)
    .optional(),
  accessible_by: z
    .array(z.object({ id, type: z.string().max(40) }))
    .max(100)
    .optional(),
  entity: z.object({ id, type: z.string().max(40) }),
  attempt_number: z.number().int().min(1).max(100).optional(),
  api_version: z.string().max(20).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
type NotionEvent = z.infer<typeof eventSchema>;

function parseEvent(json: unknown): NotionEvent {
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(`Not a Notion webhook event: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Queues a verified event (one send) and answers as every queued delivery does. */
async function queued(c: Context<WebhookEnv>, event: NotionEvent, tenant: string | null) {
  const delivery = crypto.randomUUID();
  await sendToIntake(c.env, { delivery, provider: "notion", notion: queueNotionEvent(event, tenant) });
  return c.json({ received: 1, queued: true, delivery }, 200);
}

/**
 * The public integration's confirmed token: the NOTION_WEBHOOK_VERIFICATION_TOKEN
 * secret wins over the one the operator confirmed. Never a pending candidate.
 */
async function platformToken(env: AppEnv): Promise<string | null> {
  if (env.NOTION_WEBHOOK_VERIFICATION_TOKEN) return env.NOTION_WEBHOOK_VERIFICATION_TOKEN;
  return (await confirmedNotionToken(env.DB, env))?.token ?? null;
}

/**
 * POST /webhooks/notion: the public integration's one subscription, shared by
 * every install. A handshake is kept as a pending candidate for the operator
 * (src/operator/) and changes nothing else. An event verifies with the
 * confirmed token only and is queued (one send, 200
 * `{ received, queued, delivery }`; 503 when the queue refuses it): the
 * consumer routes it to every workspace connected to its Notion workspace
 * (one intake item each). The old `?workspace=` parameter means nothing any
 * more and is ignored.
 *
 * A signed event for a Notion workspace no workspace is connected to is
 * acknowledged and recorded (outcome unknown_tenant), not a 404: it
 * comes from Notion itself (an install never connected here, or a
 * disconnected one), and Notion retries failed deliveries up to 8 times
 * (`attempt_number` 1–8), so a 404 would only buy retries of an event that
 * can never route. The house rule's 404 is for a tenant named by the sender.
 */
export const notionWebhook = new Hono<WebhookEnv>()
  .post("/", webhookBody(BODY_LIMIT), async (c) => {
    const env = c.env;
    const body = c.var.rawBody;
    const json = parseJson(body);

    const handshake = handshakeSchema.safeParse(json);
    if (handshake.success) {
      await addPendingNotionToken(env.DB, env, handshake.data.verification_token);
      log.info("notion handshake kept as pending for the operator", { provider: "notion" });
      return c.json({ received: true }, 200);
    }

    const token = await platformToken(env);
    await verifyNotionSignature({
      body,
      signature: c.req.header(NOTION_SIGNATURE_HEADER) ?? null,
      candidates: token ? [{ token }] : [],
    });
    return queued(c, parseEvent(json), null);
  })
  /**
   * POST /webhooks/notion/w/:id: one owner's internal integration. The
   * handshake's token is stored only if none is (409 otherwise, unchanged);
   * events verify with that token and must name the Notion workspace the
   * owner's connection is to.
   */
  .post("/w/:id", webhookBody(BODY_LIMIT), async (c) => {
    const env = c.env;
    const body = c.var.rawBody;
    const json = parseJson(body);
    const subscription = await notionSubscriptionByUrl(env.DB, env, c.req.param("id"));
    if (!subscription) throw new NotFoundError("unknown_tenant", "No Notion subscription has this URL");
    const tenant = subscription.workspaceId;

    const handshake = handshakeSchema.safeParse(json);
    if (handshake.success) {
      const stored = await storeNotionSubscriptionToken(env.DB, env, subscription, handshake.data.verification_token);
      if (!stored) {
        log.warn("notion handshake refused: a token is already stored", { provider: "notion", tenant });
        throw new AppError(
          "subscription_exists",
          "This subscription already has its token; reset it to start over",
          409,
        );
      }
      log.info("notion handshake stored", { provider: "notion", tenant });
      return c.json({ received: true }, 200);
    }

    await verifyNotionSignature({
      body,
      signature: c.req.header(NOTION_SIGNATURE_HEADER) ?? null,
      candidates: subscription.token ? [{ token: subscription.token }] : [],
    });
    const event = parseEvent(json);
    if ((await notionWorkspaceOf(env.DB, tenant)) !== event.workspace_id) {
      log.warn("notion event from another Notion workspace than the connection's", { provider: "notion", tenant });
      throw new NotFoundError("unknown_tenant", "This workspace's Notion connection is to another Notion workspace");
    }
    return queued(c, event, tenant);
  });
