import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";
import type { IntakeMessage } from "../../src/intake/intake-queue";
import { connectWithNotionWorkspace } from "../fulfillment/helpers";
import { stripeAccountOf, useWorld } from "../world";

useWorld();

/**
 * The consumer's D1 economy (issue 13): a batch's routing reads are made once per account or Notion workspace,
 * and the outcomes of all its events are written in one statement batch, not one write per event.
 */

const stripeChange = (i: number, workspaceId: string): IntakeMessage => ({
  delivery: `d-ce-s${i}`,
  provider: "stripe",
  stripe: {
    route: { mode: "connect" },
    eventId: `evt_ce_${i}`,
    eventType: "customer.updated",
    account: stripeAccountOf(workspaceId),
    event: { type: "stripe.other", objectId: `cus_ce_${i}` },
  },
});

const notionChange = (i: number, notionWorkspaceId: string): IntakeMessage => ({
  delivery: `d-ce-n${i}`,
  provider: "notion",
  notion: {
    tenant: null,
    notionWorkspaceId,
    eventId: `nev-ce-${i}`,
    eventType: "page.content_updated",
    event: { type: "notion.event", notionType: "page.content_updated", entityId: `page-ce-${i}`, entityType: "page" },
  },
});

/**
 * The test database, counting what the consumer prepares (by statement) and its round trips to D1: a statement
 * batch, or one statement run alone. With `failMarks`, writing the outcomes fails (D1 unavailable).
 */
function countingDb(failMarks = false) {
  const prepared: string[] = [];
  let roundTrips = 0;
  const isMarks = (sql: string) => sql.startsWith("UPDATE webhook_events SET outcome");
  const sqlOf = new WeakMap<object, string>();
  const counted = <T extends object>(target: T, sql: string): T => {
    const proxy = new Proxy(target, {
      get(inner, key) {
        const value = Reflect.get(inner, key);
        if (typeof value !== "function") return value;
        if (key === "bind") return (...args: unknown[]) => counted(value.apply(inner, args), sql);
        if (["all", "run", "first", "raw"].includes(String(key))) {
          return (...args: unknown[]) => {
            roundTrips += 1;
            if (failMarks && isMarks(sql)) return Promise.reject(new Error("D1 unavailable"));
            return value.apply(inner, args);
          };
        }
        return value.bind(inner);
      },
    });
    sqlOf.set(proxy, sql);
    return proxy;
  };
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === "prepare") {
        return (sql: string) => {
          const text = sql.replace(/\s+/g, " ").trim();
          prepared.push(text);
          return counted(target.prepare(sql), text);
        };
      }
      if (key === "batch") {
        return (statements: D1PreparedStatement[]) => {
          roundTrips += 1;
          if (failMarks && statements.some((statement) => isMarks(sqlOf.get(statement) ?? ""))) {
            return Promise.reject(new Error("D1 unavailable"));
          }
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const preparedLike = (text: string) => prepared.filter((sql) => sql.includes(text)).length;
  return { db, preparedLike, roundTrips: () => roundTrips };
}

async function consume(messages: IntakeMessage[], db: D1Database, prefix: string) {
  const batch = createMessageBatch<IntakeMessage>(
    "clientflow-intake",
    messages.map((body, i) => ({ id: `${prefix}${i}`, timestamp: 1_900_000_000_000, attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, DB: db } as AppEnv);
  return getQueueResult(batch, ctx);
}

/** A HubSpot stage change (legacy format) on a deal no journey runs. */
const stageChange = (i: number, portalId: string): IntakeMessage => ({
  delivery: `d-ce-h${i}`,
  provider: "hubspot",
  events: [
    {
      eventId: String(880_000 + i),
      portalId,
      objectId: String(88_000 + i),
      type: "deal.propertyChange",
      propertyName: "dealstage",
      propertyValue: "qualifiedtobuy",
      occurredAt: 1_900_000_000_000,
    },
  ],
});

const rowsOf = (ids: string[]) =>
  env.DB.prepare(
    `SELECT event_id, outcome, processed_at FROM webhook_events WHERE event_id IN (${ids.map(() => "?").join(",")})`,
  )
    .bind(...ids)
    .all<{ event_id: string; outcome: string | null; processed_at: string | null }>()
    .then((r) => r.results);

describe("the intake consumer's D1 economy", () => {
  it("a batch of 20 Stripe and 5 Notion deliveries: one routing read each, all outcomes in one statement batch", async () => {
    await connectWithNotionWorkspace(env as AppEnv, "ws-ce", "7310001", "notion-ce");
    const messages = [
      ...Array.from({ length: 20 }, (_, i) => stripeChange(i, "ws-ce")),
      ...Array.from({ length: 5 }, (_, i) => notionChange(i, "notion-ce")),
    ];
    const counting = countingDb();
    const result = await consume(messages, counting.db, "m-ce-");
    expect(result.explicitAcks).toHaveLength(25);
    expect(result.retryMessages).toEqual([]);
    // One read for the Stripe account, one for the Notion workspace (25 before: one per message).
    expect(counting.preparedLike("external_account_id = ? AND status != 'disconnected' AND source != 'key'")).toBe(1);
    expect(counting.preparedLike("WHERE provider = 'notion' AND external_account_id = ?")).toBe(1);
    // 25 events recorded by one statement and their 25 outcomes written by one more (25 each before
    // 2026-12-01: one statement per event, in two statement batches).
    expect(counting.preparedLike("INSERT INTO webhook_events")).toBe(1);
    expect(counting.preparedLike("UPDATE webhook_events SET outcome")).toBe(1);
    // The two routing reads, the record and the outcomes: four round trips for the batch, nothing else.
    expect(counting.roundTrips()).toBe(4);
    const rows = await rowsOf([...messages.keys()].map((i) => (i < 20 ? `evt_ce_${i}` : `nev-ce-${i - 20}`)));
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.outcome === "ignored" && r.processed_at !== null)).toBe(true);
  });

  it("stage changes on deals without a journey: settled as ignored at receipt, no own-writes journal read", async () => {
    await connectWithNotionWorkspace(env as AppEnv, "ws-ce-h", "7310003", "notion-ce-h");
    const counting = countingDb();
    const result = await consume(
      Array.from({ length: 10 }, (_, i) => stageChange(i, "7310003")),
      counting.db,
      "m-ce-h-",
    );
    expect(result.explicitAcks).toHaveLength(10);
    expect(counting.preparedLike("FROM hubspot_own_writes")).toBe(0);
    const { results } = await env.DB.prepare(
      "SELECT outcome FROM webhook_events WHERE provider = 'hubspot' AND workspace_id = 'ws-ce-h'",
    ).all<{ outcome: string }>();
    expect(results.map((r) => r.outcome)).toEqual(Array(10).fill("ignored"));
  });

  it("outcomes that cannot be written: every dispatched delivery is retried, and the redelivery settles each once", async () => {
    await connectWithNotionWorkspace(env as AppEnv, "ws-ce-f", "7310002", "notion-ce-f");
    const messages = Array.from({ length: 6 }, (_, i) => stripeChange(100 + i, "ws-ce-f"));
    const ids = messages.map((_, i) => `evt_ce_${100 + i}`);
    const failing = countingDb(true);
    const first = await consume(messages, failing.db, "m-ce-f-");
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages.map((m) => m.msgId).sort()).toEqual(messages.map((_, i) => `m-ce-f-${i}`).sort());
    // Recorded, not marked: the redelivery finds them unprocessed and dispatches them again.
    expect((await rowsOf(ids)).every((r) => r.processed_at === null)).toBe(true);
    const again = await consume(messages, env.DB, "m-ce-f-");
    expect(again.explicitAcks).toHaveLength(6);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.outcome === "ignored" && r.processed_at !== null)).toBe(true);
  });
});
