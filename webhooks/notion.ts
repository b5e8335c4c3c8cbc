import { Hono } from "hono";
import { z } from "zod";
import { NOTION_SIGNATURE_HEADER, verifyNotionSignature } from "../integrations/notion/webhook-signature";
import type { AppEnv } from "../src/env";
import { AppError, NotFoundError, ValidationError } from "../src/errors";
import { normalizeNotion } from "../src/intake/dispatch-notion";
import { intake } from "../src/intake/intake";
import { log } from "../src/log";
import { findWorkspace } from "../src/settings/workspaces";
import {
  markNotionWebhookVerified,
  notionWebhookCandidates,
  saveNotionWebhookToken,
} from "../src/store/notion-webhook-secrets";
import { parseJson, type WebhookEnv, webhookBody } from "./body";

/** Notion events carry ids only: a few hundred bytes. */
const BODY_LIMIT = 64 * 1024;

/** The one-time handshake: exactly `{ "verification_token": "secret_…" }`, unsigned. */
const handshakeSchema = z.strictObject({ verification_token: z.string().min(8).max(500) });

const id = z.string().min(1).max(100);

/**
 * An event (https://developers.notion.com/reference/webhooks-events-delivery):
 * ids only; the page is re-read by the journey's durable step.
 */
const eventSchema = z.object({
  id,
  type: z.string().min(1).max(100),
  timestamp: z.string().max(40),
  workspace_id: id,
  subscription_id: id.optional(),
  integration_id: id.optional(),
  entity: z.object({ id, type: z.string().max(40) }),
  attempt_number: z.number().int().min(1).max(100).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Stores the handshake's token for the workspace named in the subscription
 * URL (`?workspace=<id>`): Notion's handshake names no workspace. The owner
 * then pastes the token into Notion to verify the subscription.
 */
async function storeHandshake(env: AppEnv, workspaceId: string | undefined, token: string) {
  const workspace = workspaceId ? await findWorkspace(env.DB, workspaceId) : null;
  if (!workspace) {
    log.warn("notion handshake for unknown workspace", { provider: "notion" });
    throw new NotFoundError("unknown_tenant", "Add ?workspace=<your Clientflow workspace id> to the webhook URL");
  }
  const saved = await saveNotionWebhookToken(env.DB, env, workspace.id, token);
  if (saved === "subscription_verified") {
    log.warn("notion handshake refused: subscription already verified", { provider: "notion", tenant: workspace.id });
    throw new AppError("subscription_exists", "This workspace already has a verified Notion subscription", 409);
  }
  log.info("notion handshake stored", { provider: "notion", tenant: workspace.id, outcome: saved });
}

/**
 * POST /webhooks/notion: raw body → handshake (store the token) or event:
 * tenant by workspace_id → X-Notion-Signature with that workspace's token →
 * schema → dedupe by event id → signal the journey whose card changed. No
 * Notion call on the request path: the journey re-reads the page.
 */
export const notionWebhook = new Hono<WebhookEnv>().post("/", webhookBody(BODY_LIMIT), async (c) => {
  const env = c.env;
  const body = c.var.rawBody;
  const json = parseJson(body);
  const onlyWorkspace = c.req.query("workspace") || undefined;

  const handshake = handshakeSchema.safeParse(json);
  if (handshake.success) {
    await storeHandshake(env, onlyWorkspace, handshake.data.verification_token);
    return c.json({ received: true }, 200);
  }

  const route = z.object({ workspace_id: id }).safeParse(json);
  if (!route.success) throw new ValidationError("Not a Notion webhook event: workspace_id is missing");
  const { connected, candidates } = await notionWebhookCandidates(env.DB, env, route.data.workspace_id, onlyWorkspace);
  if (connected === 0) {
    log.warn("webhook for unknown tenant", { provider: "notion", notionWorkspace: route.data.workspace_id });
    throw new NotFoundError("unknown_tenant", "No workspace is connected to this Notion workspace");
  }
  const owner = await verifyNotionSignature({
    body,
    signature: c.req.header(NOTION_SIGNATURE_HEADER) ?? null,
    candidates,
  });
  if (!owner.verified) await markNotionWebhookVerified(env.DB, owner.workspaceId);

  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(`Not a Notion webhook event: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const event = parsed.data;
  const [result] = await intake(env, "notion", [
    { workspaceId: owner.workspaceId, eventId: event.id, eventType: event.type, event: normalizeNotion(event) },
  ]);
  const outcome = result?.outcome ?? "ignored";
  return c.json({ received: true, outcome }, 200);
});
