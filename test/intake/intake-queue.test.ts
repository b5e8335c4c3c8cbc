import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { IntakeMessage } from "../../src/intake/intake-queue";
import { connectWithNotionWorkspace } from "../fulfillment/helpers";
import { consumedDeliveries, consumedOf } from "../intake-log";
import { captureLogs, connectWorkspace, count, stripeAccountOf, useWorld } from "../world";

useWorld();
const logs = captureLogs();

/** A Stripe Connect event as the receiver queues it: a customer change, recorded and ignored. */
const stripeChange = (delivery: string, workspaceId: string, eventId: string): IntakeMessage => ({
  delivery,
  provider: "stripe",
  stripe: {
    route: { mode: "connect" },
    eventId,
    eventType: "customer.updated",
    account: stripeAccountOf(workspaceId),
    event: { type: "stripe.other", objectId: "cus_iq" },
  },
});

/** A Notion event of the public integration as the receiver queues it: routed in the consumer, then ignored. */
const notionChange = (delivery: string, notionWorkspaceId: string, eventId: string): IntakeMessage => ({
  delivery,
  provider: "notion",
  notion: {
    tenant: null,
    notionWorkspaceId,
    eventId,
    eventType: "page.content_updated",
    event: { type: "notion.event", notionType: "page.content_updated", entityId: "page-iq", entityType: "page" },
  },
});

/** The consumer's logged outcomes per delivery id. */
const outcomesOf = (delivery: string) => consumedOf(logs, delivery).map((d) => d.outcomes);

/** A HubSpot delivery as the receiver queues it: parsed events, ids only. */
const stageChange = (delivery: string, portalId: string, eventId: string, stage: string): IntakeMessage => ({
  delivery,
  provider: "hubspot",
  events: [
    {
      eventId,
      portalId,
      objectId: "8901",
      type: "deal.propertyChange",
      propertyName: "dealstage",
      propertyValue: stage,
      occurredAt: 1_900_000_000_000,
    },
  ],
});

/** Runs the Worker's queue handler on one batch, as the platform would, and returns what it acked and retried. */
async function consume(messages: { id: string; body: IntakeMessage; attempts?: number }[]) {
  const batch = createMessageBatch<IntakeMessage>(
    "clientflow-intake",
    messages.map((m) => ({ id: m.id, timestamp: 1_900_000_000_000, attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the intake queue consumer", () => {
  it("acks each delivery it recorded and retries only the one that failed", async () => {
    await connectWorkspace(env, "ws-iq-ack", "7300001");
    // A message no intake can read (as from a bug or an older shape) fails alone.
    const unreadable = { delivery: "d-bad", provider: "hubspot", events: null } as unknown as IntakeMessage;
    const result = await consume([
      { id: "m-good", body: stageChange("d-good", "7300001", "730001", "qualified") },
      { id: "m-bad", body: unreadable },
    ]);

    expect(result.explicitAcks).toEqual(["m-good"]);
    expect(result.retryMessages).toEqual([{ msgId: "m-bad" }]);
    expect(await count(env, "webhook_events", "workspace_id = ?", "ws-iq-ack")).toBe(1);
  });

  it("records a message delivered twice (at-least-once) as one event", async () => {
    await connectWorkspace(env, "ws-iq-twice", "7300002");
    const body = stageChange("d-twice", "7300002", "730002", "qualified");
    await consume([{ id: "m-1", body }]);
    const again = await consume([{ id: "m-1", body, attempts: 2 }]);

    expect(again.explicitAcks).toEqual(["m-1"]);
    expect(await count(env, "webhook_events", "workspace_id = ?", "ws-iq-twice")).toBe(1);
  });

  it("records a batch of several providers' and workspaces' deliveries once each; a copy in the batch is a duplicate", async () => {
    await connectWithNotionWorkspace(env, "ws-iq-mix-a", "7300011", "notion-iq-shared");
    await connectWithNotionWorkspace(env, "ws-iq-mix-b", "7300012", "notion-iq-shared");
    const messages = [
      { id: "m-h-a", body: stageChange("d-h-a", "7300011", "730011", "qualified") },
      { id: "m-h-b", body: stageChange("d-h-b", "7300012", "730012", "qualified") },
      { id: "m-s-a", body: stripeChange("d-s-a", "ws-iq-mix-a", "evt_iq_a") },
      { id: "m-s-b", body: stripeChange("d-s-b", "ws-iq-mix-b", "evt_iq_b") },
      { id: "m-n", body: notionChange("d-n", "notion-iq-shared", "nev-iq-1") },
      // The platform delivering a message twice in one batch, and a provider's redelivery under a new delivery id.
      { id: "m-s-a", body: stripeChange("d-s-a", "ws-iq-mix-a", "evt_iq_a") },
      { id: "m-h-a2", body: stageChange("d-h-a2", "7300011", "730011", "qualified") },
    ];
    const result = await consume(messages);
    // One log line for the batch, a record per message in it (each line costs the log pipeline on its own).
    const lines = logs.filter((l) => l.includes('"msg":"intake batch"'));
    expect(lines).toHaveLength(1);
    expect(consumedDeliveries(lines).map((d) => d.delivery)).toEqual([
      "d-h-a",
      "d-h-b",
      "d-s-a",
      "d-s-b",
      "d-n",
      "d-s-a",
      "d-h-a2",
    ]);

    expect(result.retryMessages).toEqual([]);
    expect([...result.explicitAcks].sort()).toEqual(["m-h-a", "m-h-a2", "m-h-b", "m-n", "m-s-a", "m-s-a", "m-s-b"]);
    const rows = await env.DB.prepare(
      `SELECT provider, workspace_id, outcome FROM webhook_events
       WHERE workspace_id IN ('ws-iq-mix-a', 'ws-iq-mix-b') ORDER BY provider, workspace_id`,
    ).all<{ provider: string; workspace_id: string; outcome: string }>();
    expect(rows.results.map((r) => `${r.provider}:${r.workspace_id}:${r.outcome}`)).toEqual([
      "hubspot:ws-iq-mix-a:ignored",
      "hubspot:ws-iq-mix-b:ignored",
      "notion:ws-iq-mix-a:ignored",
      "notion:ws-iq-mix-b:ignored",
      "stripe:ws-iq-mix-a:ignored",
      "stripe:ws-iq-mix-b:ignored",
    ]);
    expect(outcomesOf("d-h-a")).toEqual(["ignored"]);
    expect(outcomesOf("d-n")).toEqual(["ignored,ignored"]);
    expect(outcomesOf("d-s-a")).toEqual(["ignored", "duplicate"]);
    expect(outcomesOf("d-h-a2")).toEqual(["duplicate"]);

    // A later batch redelivering one of them: a duplicate, nothing recorded again.
    const again = await consume([{ id: "m-n", body: notionChange("d-n-again", "notion-iq-shared", "nev-iq-1") }]);
    expect(again.explicitAcks).toEqual(["m-n"]);
    expect(outcomesOf("d-n-again")).toEqual(["duplicate,duplicate"]);
    expect(await count(env, "webhook_events", "event_id = ?", "nev-iq-1")).toBe(2);
  });
});
