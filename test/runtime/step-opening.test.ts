import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConnectionError } from "../../integrations/core/errors";
import { hubspot } from "../../integrations/hubspot";
import { defineAppStep, performStepAction } from "../../src/connections/action-context";
import type { AppEnv } from "../../src/env";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { listSteps, stepStartedStatement } from "../../src/store/journey-steps";
import { insertJourney } from "../../src/store/journeys";
import { connectWorkspace, useWorld } from "../world";

/**
 * An action's attempt opens its timeline row in the round trip that reads its
 * connection (one D1 batch, the row first): one round trip fewer per action
 * than a write of its own, and the row is still open before any request.
 */
const world = useWorld();
const WS = "ws-step-opening";
const UNCONNECTED = "ws-step-opening-none";
beforeAll(async () => {
  await connectWorkspace(env, WS, "4470031");
  await upsertWorkspace(env.DB, { id: UNCONNECTED, name: UNCONNECTED, settings: {} });
  for (const [id, workspaceId] of [
    ["j-opening-1", WS],
    ["j-opening-2", UNCONNECTED],
    ["j-opening-3", WS],
  ] as const) {
    await insertJourney(env.DB, { id, workspaceId, dealId: `deal-${id}` });
  }
});

/** The env with a D1 that notes each round trip as the SQL it carried (a batch: each statement's, in order). */
function countingRoundTrips(): AppEnv & { trips: string[][] } {
  const trips: string[][] = [];
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get: (target, prop) => {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql);
        if (prop === "first" || prop === "run" || prop === "all" || prop === "raw") {
          return (...args: unknown[]) => {
            trips.push([sql]);
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return Reflect.get(target, prop, target);
      },
    });
    real.set(proxy, statement);
    sqlOf.set(proxy, sql);
    return proxy;
  };
  const sqlOf = new WeakMap<object, string>();
  const db = new Proxy(env.DB, {
    get: (target, prop) => {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          trips.push(statements.map((s) => sqlOf.get(s) ?? "?"));
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      }
      return Reflect.get(target, prop, target);
    },
  });
  return { ...env, DB: db, trips };
}

const identity = (journeyId: string) => ({
  workspaceId: WS,
  journeyId,
  idempotencyKey: `${journeyId}:contact`,
  attempt: "r0a1",
});

const contact = { email: "opening@client.test", firstName: "Ola", lastName: "Open", company: null, phone: null };
const opensRow = (sql: string) => /^INSERT INTO journey_steps\b/.test(sql.trim());
const readsConnection = (sql: string) => /^SELECT \* FROM connections\b/.test(sql);

describe("an action's attempt opens its row with its connection's read", () => {
  it("one round trip opens the row and reads the connection, before the request; the connection is read once", async () => {
    const counting = countingRoundTrips();
    const requests = world.hubspot.requests.all.length;
    const opening = [stepStartedStatement(counting.DB, "j-opening-1", "contact", 1, "Find the contact")];
    const { findOrCreateContact } = hubspot.actions;
    await performStepAction(counting, findOrCreateContact, identity("j-opening-1"), contact, opening);
    expect(world.hubspot.requests.all.length).toBeGreaterThan(requests);
    const [first, ...rest] = counting.trips;
    expect(first).toHaveLength(2);
    expect(opensRow(first?.[0] ?? "")).toBe(true);
    expect(readsConnection(first?.[1] ?? "")).toBe(true);
    expect(rest.flat().filter(readsConnection)).toEqual([]);
    const [row] = await listSteps(env.DB, "j-opening-1");
    expect(row).toMatchObject({ name: "contact", status: "running", attempts: 1, label: "Find the contact" });
  });

  it("a missing connection: the row is open all the same, and the ConnectionError goes on", async () => {
    const opening = [stepStartedStatement(env.DB, "j-opening-2", "notion-card", 1)];
    const error = await performStepAction(
      { ...env },
      hubspot.actions.findOrCreateContact,
      { ...identity("j-opening-2"), workspaceId: UNCONNECTED },
      contact,
      opening,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    const [row] = await listSteps(env.DB, "j-opening-2");
    expect(row).toMatchObject({ name: "notion-card", status: "running", attempts: 1 });
  });

  it("an app step (no connection): its row is open when it runs", async () => {
    let seen: string | undefined;
    const probe = defineAppStep({
      id: "test.probe",
      idempotent: "natural",
      input: z.object({}),
      run: async (ctx) => {
        seen = (await listSteps(ctx.env.DB, ctx.journeyId))[0]?.status;
        return null;
      },
    });
    await performStepAction(env, probe, identity("j-opening-3"), {}, [
      stepStartedStatement(env.DB, "j-opening-3", "probe", 1),
    ]);
    expect(seen).toBe("running");
  });
});
