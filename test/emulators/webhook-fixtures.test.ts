import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EMULATED_ACCOUNT } from "../../emulators/stripe";
import { STRIPE_API_VERSION } from "../../integrations/stripe/http";
import { dealStageChanged } from "../../sandbox/hubspot-events";
import { genericStageChange, hubspotCreation } from "../webhooks/hubspot-fixtures";
import { dealStageEvent, STRIPE_KEY, useWorld } from "../world";

/**
 * The Stripe Event object as stripe-node types it (node_modules/stripe/esm/resources/Events.d.ts,
 * generated from Stripe's OpenAPI spec): `account` only on events for a connected account, `context`
 * only for event destinations; nothing else at the top level.
 */
const stripeEvent = z.strictObject({
  id: z.string().startsWith("evt_"),
  object: z.literal("event"),
  account: z.string().startsWith("acct_").optional(),
  api_version: z.string().nullable(),
  context: z.string().optional(),
  created: z.number().int(),
  data: z.strictObject({ object: z.record(z.string(), z.unknown()), previous_attributes: z.unknown().optional() }),
  livemode: z.boolean(),
  pending_webhooks: z.number().int().min(0),
  request: z.strictObject({ id: z.string().nullable(), idempotency_key: z.string().nullable() }).nullable(),
  type: z.string(),
});

/** Users and bots in Notion's webhook payloads. */
const notionActor = z.strictObject({ id: z.string(), type: z.enum(["person", "bot"]) });
/**
 * A Notion page event as @notionhq/client types it (build/src/api-endpoints/webhooks.d.ts:
 * BaseWebhookPayload and the Page…WebhookPayload types): the parent is always in `data`.
 */
const notionPageEvent = z.strictObject({
  id: z.string(),
  timestamp: z.iso.datetime(),
  workspace_id: z.string(),
  workspace_name: z.string(),
  subscription_id: z.string(),
  integration_id: z.string(),
  type: z.enum(["page.created", "page.content_updated", "page.properties_updated", "page.deleted", "page.moved"]),
  authors: z.array(notionActor).min(1),
  accessible_by: z.array(notionActor).optional(),
  attempt_number: z.number().int().min(1).max(8),
  api_version: z.enum(["2022-06-28", "2025-09-03", "2026-03-11"]),
  entity: z.strictObject({ id: z.string(), type: z.literal("page") }),
  data: z.looseObject({
    parent: z.strictObject({
      id: z.string(),
      type: z.enum(["space", "block", "page", "database", "team", "agent"]),
      data_source_id: z.string().optional(),
    }),
    updated_properties: z.array(z.string()).optional(),
    updated_blocks: z.array(z.strictObject({ id: z.string(), type: z.enum(["page", "database", "block"]) })).optional(),
  }),
});

/**
 * One HubSpot webhook event (https://developers.hubspot.com/docs/api-reference/webhooks: the
 * payload fields of legacy `deal.*` subscriptions and of generic `object.*` ones, which add
 * `objectTypeId`). Event type names from the `eventType` enum of the mirrored Webhooks spec
 * (PublicApiSpecs/Webhooks/Webhooks/Rollouts/147891/2026-03/webhooks.json).
 */
const hubspotEvent = z
  .strictObject({
    eventId: z.number().int(),
    subscriptionId: z.number().int(),
    portalId: z.number().int(),
    appId: z.number().int(),
    occurredAt: z.number().int(),
    subscriptionType: z.enum([
      "deal.creation",
      "deal.propertyChange",
      "deal.deletion",
      "contact.creation",
      "object.creation",
      "object.propertyChange",
      "object.deletion",
    ]),
    attemptNumber: z.number().int().min(0),
    objectId: z.number().int(),
    objectTypeId: z.string().optional(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    changeFlag: z.string().optional(),
    changeSource: z.string(),
    sourceId: z.string().optional(),
  })
  .refine((e) => !e.subscriptionType.startsWith("object.") || e.objectTypeId !== undefined, {
    message: "generic object.* events name the object type in objectTypeId",
  })
  .refine((e) => !e.subscriptionType.endsWith(".propertyChange") || e.propertyName !== undefined, {
    message: "property changes name the property",
  });

describe("webhook fixtures follow the providers' event definitions", () => {
  const world = useWorld();

  it("Stripe: the emulator's events, platform and Connect deliveries", () => {
    const invoice = { id: "in_1", object: "invoice", status: "paid" };
    expect(stripeEvent.parse(world.stripe.event("invoice.paid", invoice))).toMatchObject({ object: "event" });
    const connect = world.stripe.event("invoice.paid", invoice, { account: "acct_1ConnectStudio" });
    expect(stripeEvent.parse(connect).account).toBe("acct_1ConnectStudio");
  });

  it("Stripe: what the emulator delivers, to the platform's Connect endpoint and to an account's own endpoint", async () => {
    const invoice = { id: "in_2", object: "invoice", status: "paid" };
    const connectEndpoint = { url: "https://clientflow.test/webhooks/stripe", secret: "whsec_fixture" };
    const [toPlatform, ...others] = await world.stripe.webhooks.deliveries(
      world.stripe.event("invoice.paid", invoice),
      "acct_1AppInstalled00",
      connectEndpoint,
    );
    expect(others).toEqual([]);
    // Connect: `account` names the connected account; the version is the one Clientflow pins.
    expect(stripeEvent.parse(JSON.parse(toPlatform?.body ?? "null"))).toMatchObject({
      account: "acct_1AppInstalled00",
      api_version: STRIPE_API_VERSION,
    });

    // An endpoint a key created in its account: that account's events, without `account`, in its api_version.
    const response = await fetch(`${world.stripe.base}/v1/webhook_endpoints`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${STRIPE_KEY}`,
        "content-type": "application/x-www-form-urlencoded",
        "stripe-version": STRIPE_API_VERSION,
      },
      body: new URLSearchParams({
        url: "https://clientflow.test/webhooks/stripe/e/fixture",
        "enabled_events[0]": "invoice.paid",
        api_version: "2026-09-30.endive",
      }).toString(),
    });
    expect(response.status).toBe(200);
    const [toAccount] = await world.stripe.webhooks.deliveries(
      world.stripe.event("invoice.paid", invoice),
      EMULATED_ACCOUNT,
      connectEndpoint,
    );
    expect(toAccount?.url).toBe("https://clientflow.test/webhooks/stripe/e/fixture");
    const own = stripeEvent.parse(JSON.parse(toAccount?.body ?? "null"));
    expect(own.account).toBeUndefined();
    expect(own.api_version).toBe("2026-09-30.endive");
  });

  it("Notion: the emulator's page events carry the subscription, authors, access and the parent", () => {
    const content = world.notion.event("page.content_updated", "page-0001");
    expect(notionPageEvent.parse(content).data.updated_blocks).toEqual([]);
    const pageId = "7a7a7a7a-0000-4000-8000-000000000001";
    world.notion.pages.set(pageId, {
      object: "page",
      id: pageId,
      url: "https://www.notion.so/p",
      parent: { type: "data_source_id", data_source_id: world.notion.boardId },
      in_trash: false,
      properties: {},
      children: [],
    });
    const moved = notionPageEvent.parse(world.notion.changeStatusAsUser(pageId, world.notion.statuses[0] ?? ""));
    expect(moved.data.updated_properties).toHaveLength(1);
  });

  it("HubSpot: the receiver tests' events, legacy and generic, and the sandbox's", () => {
    expect(hubspotEvent.parse(dealStageEvent("880001", "3101", "closedwon", 1))).toMatchObject({
      subscriptionType: "deal.propertyChange",
    });
    expect(hubspotEvent.parse(genericStageChange(880001, 3101, "closedwon", 2))).toMatchObject({
      subscriptionType: "object.propertyChange",
      objectTypeId: "0-3",
    });
    for (const format of ["legacy", "generic"] as const) {
      for (const kind of ["contact", "deal"] as const) {
        const made = hubspotCreation(format, kind, "880001", "3102", 3);
        expect(hubspotEvent.parse(made), `${format} ${kind}`).toMatchObject({ changeFlag: "CREATED" });
        const ours = hubspotCreation(format, kind, "880001", "3102", 4, { changeSource: "INTEGRATION" });
        expect(hubspotEvent.parse(ours).changeSource).toBe("INTEGRATION");
      }
    }
    // The sandbox sends what the project (hubspot-project/) subscribes to: the generic format.
    const sandbox = dealStageChanged({ eventId: 5, portalId: "990001", dealId: "3103", stage: "closedwon" });
    expect(hubspotEvent.parse(sandbox)).toMatchObject({
      subscriptionType: "object.propertyChange",
      objectTypeId: "0-3",
    });
  });

  it("the schemas refuse what the definitions do not allow", () => {
    const event = world.stripe.event("invoice.paid", {});
    expect(stripeEvent.safeParse({ ...event, object: "invoice" }).success).toBe(false);
    expect(notionPageEvent.safeParse(world.notion.event("page.created", "p", { data: {} })).success).toBe(false);
    const generic = { ...dealStageEvent("1", "2", "closedwon", 3), subscriptionType: "object.propertyChange" };
    expect(hubspotEvent.safeParse(generic).success).toBe(false);
  });
});
