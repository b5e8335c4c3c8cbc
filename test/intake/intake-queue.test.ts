import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { IntakeMessage } from "../../src/intake/intake-queue";
import { connectWorkspace, count, useWorld } from "../world";

useWorld();

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
});
