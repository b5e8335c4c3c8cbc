import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type EventRow, markWebhookEventsProcessed, recordWebhookEvents } from "../../src/store/webhook-events";

/**
 * The event log's batch writes (issue 13): a queue batch's events are recorded by one statement and their outcomes
 * written by one more, whatever the batch's size, with the answers one statement per event gave.
 */

type Stored = {
  event_id: string;
  event_type: string;
  outcome: string | null;
  journey_id: string | null;
  processed_at: string | null;
  payload: string | null;
  id_type: string;
};

async function stored(workspaceId: string): Promise<Map<string, Stored>> {
  const { results } = await env.DB.prepare(
    `SELECT event_id, event_type, outcome, journey_id, processed_at, payload, typeof(event_id) AS id_type
     FROM webhook_events WHERE workspace_id = ? ORDER BY id`,
  )
    .bind(workspaceId)
    .all<Stored>();
  return new Map(results.map((row) => [row.event_id, row]));
}

/** The test database, counting the statements prepared on it. */
function countingDb() {
  const prepared: string[] = [];
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === "prepare") {
        return (sql: string) => {
          prepared.push(sql);
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, prepared };
}

const row = (workspaceId: string, eventId: string, fields: Partial<EventRow> = {}): EventRow => ({
  provider: "stripe",
  workspaceId,
  eventId,
  eventType: "customer.updated",
  ...fields,
});

describe("recording a batch of webhook events", () => {
  it("records 150 events in one statement, then answers new, retry and duplicate for a redelivery", async () => {
    const ws = "ws-we-many";
    // Every third event is settled at receipt (stored processed); the others wait for dispatch.
    const rows = Array.from({ length: 150 }, (_, i) =>
      row(ws, String(600_000 + i), i % 3 === 0 ? { outcome: "ignored" } : { payload: `{"n":${i}}` }),
    );
    const first = countingDb();
    expect(await recordWebhookEvents(first.db, rows)).toEqual(Array(150).fill("new"));
    expect(first.prepared).toHaveLength(1);

    const again = countingDb();
    const results = await recordWebhookEvents(again.db, [...rows, row(ws, "600150")]);
    expect(results.at(-1)).toBe("new");
    expect(results.slice(0, 150)).toEqual(rows.map((_, i) => (i % 3 === 0 ? "duplicate" : "retry")));
    // The INSERT, and one lookup of the 150 keys it did not insert.
    expect(again.prepared).toHaveLength(2);

    const table = await stored(ws);
    expect(table.size).toBe(151);
    const settled = table.get("600000");
    expect(settled?.outcome).toBe("ignored");
    expect(settled?.processed_at).not.toBeNull();
    const waiting = table.get("600001");
    expect(waiting).toMatchObject({ outcome: null, processed_at: null, payload: '{"n":1}' });
    // Ids that look like numbers stay text, as the provider sent them.
    expect(new Set([...table.values()].map((r) => r.id_type))).toEqual(new Set(["text"]));
  });

  it("1,201 events: three statements of at most 500 rows in one round trip, a copy across them a retry", async () => {
    const ws = "ws-we-runs";
    const rows = Array.from({ length: 1_200 }, (_, i) => row(ws, `evt_run_${i}`));
    // The copy of the 11th event comes in the third statement.
    const counting = countingDb();
    const results = await recordWebhookEvents(counting.db, [...rows, row(ws, "evt_run_10")]);
    expect(results.slice(0, 1_200)).toEqual(Array(1_200).fill("new"));
    expect(results[1_200]).toBe("retry");
    expect(counting.prepared.filter((sql) => sql.includes("INSERT INTO webhook_events"))).toHaveLength(3);
    expect((await stored(ws)).size).toBe(1_200);
  });

  it("a key twice in one call: the first copy is recorded, the later one is a retry or a duplicate", async () => {
    const ws = "ws-we-copies";
    const results = await recordWebhookEvents(env.DB, [
      row(ws, "evt_a", { eventType: "first.type" }),
      row(ws, "evt_a", { eventType: "second.type", outcome: "ignored" }),
      row(ws, "evt_b", { outcome: "ignored" }),
      row(ws, "evt_b"),
    ]);
    // evt_a waits for dispatch, so its copy finds it unprocessed; evt_b was settled at receipt.
    expect(results).toEqual(["new", "retry", "new", "duplicate"]);
    const table = await stored(ws);
    expect(table.get("evt_a")).toMatchObject({ event_type: "first.type", outcome: null, processed_at: null });
    expect(table.get("evt_b")?.outcome).toBe("ignored");
  });

  it("an empty batch writes nothing", async () => {
    const counting = countingDb();
    expect(await recordWebhookEvents(counting.db, [])).toEqual([]);
    await markWebhookEventsProcessed(counting.db, []);
    expect(counting.prepared).toEqual([]);
  });
});

describe("marking a batch of webhook events processed", () => {
  it("writes 30 outcomes in one statement, each on its own event, and keeps a journey a mark does not name", async () => {
    const ws = "ws-we-marks";
    const ids = Array.from({ length: 30 }, (_, i) => `evt_mark_${i}`);
    await recordWebhookEvents(
      env.DB,
      ids.map((id) => row(ws, id)),
    );
    await env.DB.prepare("UPDATE webhook_events SET journey_id = 'j-earlier' WHERE workspace_id = ? AND event_id = ?")
      .bind(ws, "evt_mark_29")
      .run();
    // An event of another workspace with the same id is left alone.
    await recordWebhookEvents(env.DB, [row("ws-we-marks-other", "evt_mark_0")]);
    const counting = countingDb();
    await markWebhookEventsProcessed(
      counting.db,
      ids.map((eventId, i) => ({
        provider: "stripe",
        workspaceId: ws,
        eventId,
        outcome: i % 2 === 0 ? "started" : "ignored",
        journeyId: i % 2 === 0 ? `j-${i}` : null,
      })),
    );
    expect(counting.prepared).toHaveLength(1);
    const table = await stored(ws);
    for (const [i, id] of ids.entries()) {
      const event = table.get(id);
      expect(event?.outcome).toBe(i % 2 === 0 ? "started" : "ignored");
      expect(event?.processed_at).not.toBeNull();
      expect(event?.journey_id).toBe(i % 2 === 0 ? `j-${i}` : i === 29 ? "j-earlier" : null);
    }
    expect((await stored("ws-we-marks-other")).get("evt_mark_0")).toMatchObject({ outcome: null, processed_at: null });
  });

  it("two marks of one event merge as if written one after the other", async () => {
    const ws = "ws-we-merge";
    await recordWebhookEvents(env.DB, [row(ws, "evt_x"), row(ws, "evt_y")]);
    const mark = (eventId: string, outcome: string, journeyId: string | null) => ({
      provider: "stripe",
      workspaceId: ws,
      eventId,
      outcome,
      journeyId,
    });
    await markWebhookEventsProcessed(env.DB, [
      mark("evt_x", "started", "j-x"),
      mark("evt_y", "started", "j-y1"),
      mark("evt_x", "signalled", null),
      mark("evt_y", "signalled", "j-y2"),
    ]);
    const table = await stored(ws);
    expect(table.get("evt_x")).toMatchObject({ outcome: "signalled", journey_id: "j-x" });
    expect(table.get("evt_y")).toMatchObject({ outcome: "signalled", journey_id: "j-y2" });
  });
});
