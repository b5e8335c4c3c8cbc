import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultRegistry, providerOf } from "../../sandbox/faults";
import { type Sandbox, startSandbox } from "../../sandbox/server";

describe("the fault registry", () => {
  it("validates a fault, answers the oldest matching one first and forgets a fault once used up", () => {
    const faults = new FaultRegistry();
    for (const bad of [
      {},
      { provider: "paypal", status: 500, times: 1 },
      { provider: "stripe", status: 418, times: 1 },
      { provider: "stripe", status: 500, times: 0 },
      { provider: "stripe", status: 500, times: 21 },
      { provider: "stripe", status: 500, times: 1.5 },
      { provider: "stripe", status: "500", times: 1 },
      { provider: "stripe", status: 500, times: 1, method: "GET /x" },
      { provider: "stripe", status: 500, times: 1, pathContains: "<script>" },
    ]) {
      expect(() => faults.add(bad), JSON.stringify(bad)).toThrow();
    }
    expect(faults.list()).toEqual([]);

    faults.add({ provider: "notion", status: 503, times: 2, method: "patch", pathContains: "/pages/" });
    faults.add({ provider: "notion", status: 429, times: 1 });
    expect(faults.take("notion", "POST", "/notion/v1/pages")?.status).toBe(429);
    expect(faults.take("notion", "POST", "/notion/v1/pages")).toBeUndefined();
    expect(faults.take("hubspot", "PATCH", "/hubspot/crm/v3/objects/deals/1")).toBeUndefined();
    expect(faults.take("notion", "PATCH", "/notion/v1/pages/abc")).toMatchObject({ status: 503, times: 1 });
    expect(faults.list()).toMatchObject([{ provider: "notion", method: "PATCH", pathContains: "/pages/", times: 1 }]);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });

  it("touches only the providers' APIs, never sign-in, tokens or the control API", () => {
    expect(providerOf("/v1/customers")).toBe("stripe");
    expect(providerOf("/hubspot/crm/v3/objects/deals/1")).toBe("hubspot");
    expect(providerOf("/notion/v1/pages")).toBe("notion");
    expect(providerOf("/google/gmail/v1/users/me/messages/send")).toBe("google");
    for (const path of [
      "/control/state",
      "/google/o/oauth2/v2/auth",
      "/google/token",
      "/google/oauth2/v3/certs",
      "/hubspot/oauth/2026-03/token",
      "/v1/oauth/token",
      "/hubspot-app/x",
    ]) {
      expect(providerOf(path), path).toBeNull();
    }
  });
});

describe("simulated outages in the running sandbox", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.origin}/control${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const customers = () =>
    fetch(`${sandbox.origin}/v1/customers?email=nobody%40client.test`, {
      headers: { authorization: `Bearer ${sandbox.secrets.stripeKey}` },
    });

  it("answers the next Stripe call with Stripe's error shape, then lets calls through again", async () => {
    const added = await control("POST", "/faults", { provider: "stripe", status: 400, times: 1 });
    expect(added.status).toBe(201);
    const state = (await (await control("GET", "/state")).json()) as { faults: unknown[] };
    expect(state.faults).toMatchObject([{ provider: "stripe", status: 400, times: 1 }]);

    const failed = await customers();
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({
      error: { type: "invalid_request_error", message: expect.stringContaining("Simulated outage") },
    });
    const passed = await customers();
    expect(passed.status).toBe(200);
    expect(await passed.json()).toMatchObject({ object: "list", data: [] });
    expect(((await (await control("GET", "/state")).json()) as { faults: unknown[] }).faults).toEqual([]);
  });

  it("shapes errors like each provider and leaves Google's sign-in keys alone", async () => {
    await control("POST", "/faults", { provider: "hubspot", status: 429, times: 1 });
    await control("POST", "/faults", { provider: "notion", status: 503, times: 1 });
    await control("POST", "/faults", { provider: "google", status: 500, times: 1 });
    const hubspot = await fetch(`${sandbox.origin}/hubspot/crm/v3/objects/deals/1`, {
      headers: { authorization: `Bearer ${sandbox.secrets.hubspotToken}` },
    });
    expect(hubspot.status).toBe(429);
    expect(await hubspot.json()).toMatchObject({ status: "error", category: "RATE_LIMITS" });
    const notion = await fetch(`${sandbox.origin}/notion/v1/pages/x`, { method: "PATCH" });
    expect(notion.status).toBe(503);
    expect(await notion.json()).toMatchObject({ object: "error", status: 503, code: "service_unavailable" });
    expect((await fetch(`${sandbox.origin}/google/oauth2/v3/certs`)).status).toBe(200);
    const gmail = await fetch(`${sandbox.origin}/google/gmail/v1/users/me/messages/send`, { method: "POST" });
    expect(gmail.status).toBe(500);
    expect(await gmail.json()).toMatchObject({ error: { code: 500, status: "INTERNAL" } });
  });

  it("refuses a bad fault (400) and clears all faults on DELETE", async () => {
    const bad = await control("POST", "/faults", { provider: "stripe", status: 302, times: 99 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_request", message: expect.stringContaining("status") });
    expect((await control("POST", "/faults", undefined)).status).toBe(415);
    await control("POST", "/faults", { provider: "stripe", status: 500, times: 5 });
    const cleared = await control("DELETE", "/faults");
    expect(cleared.status).toBe(200);
    expect((await customers()).status).toBe(200);
  });
});
