import { createRoute, z } from "@hono/zod-openapi";
import { WEBHOOK_PROVIDERS } from "../../../integrations/registry";
import { apiRouter, errorResponses, json } from "../../api/router";
import { replayEvent } from "../../intake/replay";
import { queryWebhookEvents } from "../../store/webhook-events";
import { eventView } from "./event-view";

const EventSchema = z
  .object({
    id: z.number().int().openapi({ example: 42 }),
    provider: z.string().openapi({ example: "hubspot" }),
    eventId: z.string().openapi({ example: "710001" }),
    type: z.string().openapi({ example: "deal.propertyChange" }),
    normalized: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The normalized event that was dispatched (ids only); null if recorded before replay" }),
    outcome: z.string().nullable().openapi({ example: "started" }),
    journeyId: z.string().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
    replayable: z.boolean(),
    replay: z.object({ outcome: z.string().nullable(), at: z.string().nullable(), count: z.number().int() }).nullable(),
  })
  .openapi("WebhookEvent");

const listRoute = createRoute({
  method: "get",
  path: "/",
  summary: "List webhook events, newest first",
  description: "Page with `cursor` (the `nextCursor` of the previous page).",
  tags: ["Events"],
  request: {
    query: z.object({
      provider: z.enum(WEBHOOK_PROVIDERS).optional(),
      outcome: z
        .string()
        .regex(/^[a-z_]{1,40}$/)
        .optional()
        .openapi({ description: "An outcome, or `pending` for events not yet dispatched" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z
        .string()
        .regex(/^\d{1,15}$/)
        .optional(),
    }),
  },
  responses: {
    200: json(z.object({ events: z.array(EventSchema), nextCursor: z.string().nullable() }), "A page of events"),
    ...errorResponses(400),
  },
});

const replayRoute = createRoute({
  method: "post",
  path: "/{id}/replay",
  summary: "Replay one event",
  description:
    "Dispatches the stored normalized event again through the receiver's dispatch. Idempotent: work that exists is reported (`duplicate_deal`, `duplicate`), not repeated. The delivery's outcome stays; the replay's is recorded beside it.",
  tags: ["Events"],
  request: {
    params: z.object({
      id: z
        .string()
        .regex(/^\d{1,15}$/)
        .openapi({ example: "42" }),
    }),
  },
  responses: {
    200: json(
      z.object({ id: z.number().int(), outcome: z.string(), journeyId: z.string().nullable() }),
      "What the replay did",
    ),
    ...errorResponses(400, 404, 409),
  },
});

/** The webhook event log: GET /api/events and POST /api/events/:id/replay. */
export const eventsApi = apiRouter()
  .openapi(listRoute, async (c) => {
    const { provider, outcome, limit, cursor } = c.req.valid("query");
    const rows = await queryWebhookEvents(c.env.DB, c.get("session").workspaceId, {
      provider,
      outcome,
      before: cursor ? Number(cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? String(page[page.length - 1]?.id) : null;
    return c.json({ events: page.map(eventView), nextCursor }, 200);
  })
  .openapi(replayRoute, async (c) => {
    const result = await replayEvent(c.env, c.get("session").workspaceId, Number(c.req.valid("param").id));
    return c.json(result, 200);
  });
