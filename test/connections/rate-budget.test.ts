import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { IntegrationError } from "../../integrations/core/errors";
import { hubspotClient } from "../../integrations/hubspot/client";
import { readBoardStatuses } from "../../integrations/notion/boards";
import { withNotion } from "../../integrations/notion/client";
import { connectionContext, withConnection } from "../../src/connections/action-context";
import { BUDGETS } from "../../src/connections/budgets";
import { connectWorkspace, HUBSPOT_TOKEN, NOTION_BOARD, useWorld } from "../world";

const world = useWorld();
const CALLS = 14; // beyond the emulated Notion burst (9), so an unbudgeted burst must meet 429s

afterEach(() => {
  world.notion.rateLimit.disable();
  world.hubspot.rateLimit.disable();
});

describe("the sandbox's provider rate limits (opt-in)", () => {
  it("answer a Notion burst beyond the documented rate with 429 and Retry-After when nothing budgets it", async () => {
    await connectWorkspace(env, "ws-rate-raw", "7300001");
    world.notion.rateLimit.enable();
    // The context without its permit: every call goes straight to the provider.
    const { permit: _none, ...raw } = await connectionContext(env, "ws-rate-raw", "notion");
    const results = await Promise.allSettled(Array.from({ length: CALLS }, () => readBoardStatuses(raw)));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(world.notion.rateLimit.refused).toBeGreaterThan(0);
    expect(refused.length).toBe(world.notion.rateLimit.refused);
    for (const error of refused) {
      expect(error).toBeInstanceOf(IntegrationError);
      expect(error).toMatchObject({ httpStatus: 429, retryable: true });
      expect((error as IntegrationError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    }
  });

  it("answer HubSpot with its documented RATE_LIMIT body once the account's 10-second budget is spent", async () => {
    await connectWorkspace(env, "ws-rate-hubspot", "7300002");
    world.hubspot.rateLimit.enable();
    world.hubspot.rateLimit.take(`Bearer ${HUBSPOT_TOKEN}`, 100); // the whole window, spent elsewhere
    const { permit: _none, ...raw } = await connectionContext(env, "ws-rate-hubspot", "hubspot");
    const error = await hubspotClient(raw)
      .request("GET", "/crm/v3/objects/contacts/1", z.unknown())
      .catch((e: unknown) => e);
    // The window frees up when those 100 are 10 s old: HubSpot's rolling window, not a bucket refilling each second.
    expect(error).toMatchObject({ httpStatus: 429, retryable: true, retryAfterMs: 10_000 });
    expect(world.hubspot.rateLimit.refused).toBe(1);
  });
});

describe("a connection's rate budget (RateBudget)", () => {
  it("keeps many concurrent calls of one workspace inside the provider's limit: zero 429s", async () => {
    await connectWorkspace(env, "ws-rate-budget", "7300003");
    world.notion.rateLimit.enable();
    const results = await Promise.all(
      Array.from({ length: CALLS }, () => withConnection(env, "ws-rate-budget", "notion", readBoardStatuses)),
    );
    expect(results).toHaveLength(CALLS);
    expect(world.notion.rateLimit.refused).toBe(0);
    expect(world.notion.rateLimit.granted).toBe(CALLS);
  });
});

describe("HubSpot's window, counted until each request lands", () => {
  it("keeps 120 concurrent requests of one workspace inside HubSpot's 100 in any 10 s: the 101st waits for a landing", async () => {
    await connectWorkspace(env, "ws-rate-window", "7300006");
    world.hubspot.rateLimit.enable();
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        withConnection(env, "ws-rate-window", "hubspot", (ctx) =>
          hubspotClient(ctx).request("GET", `/crm/v3/objects/contacts/${i + 1}`, z.unknown()),
        ),
      ),
    );
    // Every request was answered by HubSpot (found or not), none refused with 429.
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).not.toMatchObject({ httpStatus: 429 });
    }
    expect({ granted: world.hubspot.rateLimit.granted, refused: world.hubspot.rateLimit.refused }).toEqual({
      granted: 120,
      refused: 0,
    });
    // The last 20 went 10 s after the first ones landed, not before.
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  }, 30_000);
});

describe("permits per provider request", () => {
  it("takes one permit for every HTTP request a Notion callback makes, not one per callback", async () => {
    await connectWorkspace(env, "ws-rate-notion-each", "7300004");
    const ctx = await connectionContext(env, "ws-rate-notion-each", "notion");
    let permits = 0;
    const counted = {
      ...ctx,
      permit: async () => {
        permits += 1;
        return undefined;
      },
    };
    const before = world.notion.requests.all.length;
    // Two requests inside one callback: both count against Notion's limit.
    await withNotion(counted, async (notion) => {
      await notion.dataSources.retrieve({ data_source_id: NOTION_BOARD });
      await notion.dataSources.query({ data_source_id: NOTION_BOARD });
    });
    expect(world.notion.requests.all.length - before).toBe(2);
    expect(permits).toBe(2);
  });

  it("holds the whole connection once the provider answers 429 with Retry-After, the other connections not", async () => {
    await connectWorkspace(env, "ws-rate-hold", "7300005");
    world.hubspot.rateLimit.enable();
    world.hubspot.rateLimit.take(`Bearer ${HUBSPOT_TOKEN}`, 100); // the window spent by another app of the account
    // A call that took no permit (as one booked before the limit was spent) meets the 429 and reports it.
    const { permit: _none, ...raw } = await connectionContext(env, "ws-rate-hold", "hubspot");
    const error = await hubspotClient(raw)
      .request("GET", "/crm/v3/objects/contacts/1", z.unknown())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 429, retryAfterMs: 10_000 });
    // The connection's budget now owes the Retry-After: the next permit of any journey of the workspace waits.
    const namespace = env.RATE_BUDGET;
    if (!namespace) throw new Error("the test Worker binds RATE_BUDGET");
    const held = await namespace.get(namespace.idFromName("ws-rate-hold:hubspot")).take(1, BUDGETS.hubspot);
    expect(held.waitMs).toBeGreaterThan(9_000);
    // Another workspace's HubSpot budget is its own (a fresh budget hands out its burst at once).
    const other = await namespace.get(namespace.idFromName("ws-rate-hold-2:hubspot")).take(1, BUDGETS.hubspot);
    expect(other.waitMs).toBe(0);
  });
});
