import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxApp, startSandboxApp } from "../../sandbox/app";

/**
 * Issue 10: "150 deals won at once in the sandbox give 150 journeys and 150
 * welcome emails". Earlier, such a burst gave 143 journeys (colliding event
 * ids deduped real changes away). This drives the app as `npm start` runs it:
 * the control API creates and wins the deals, the sandbox delivers HubSpot's
 * signed webhooks concurrently, and the Worker's JSON API lists the journeys.
 */

let app: SandboxApp;
let session = "";

interface DealView {
  id: string;
  stage: string;
  contact: { email: string; firstName: string } | null;
}
interface Delivered {
  dealIds: string[];
  status: number;
  ok: boolean;
}
interface SentEmail {
  to: string;
  subject: string;
}

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${app.sandboxUrl}/control${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Signs the sandbox owner in over plain fetch (redirects by hand, the Worker's cookies kept); returns the Cookie header. */
async function signIn(): Promise<string> {
  const cookies = new Map<string, string>();
  const go = async (start: string, init: RequestInit = {}) => {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      const headers = new Headers(request.headers);
      const toApp = url.startsWith(app.appUrl);
      if (toApp) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
      const response = await fetch(url, { ...request, headers, redirect: "manual" });
      for (const line of toApp ? response.headers.getSetCookie() : []) {
        const [pair = ""] = line.split(";");
        const [name = "", value = ""] = pair.split("=");
        if (value) cookies.set(name.trim(), value);
      }
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return response.text();
      url = new URL(location, url).toString();
      request = {};
    }
    throw new Error(`too many redirects from ${start}`);
  };
  const consent = await go(`${app.appUrl}/journeys`);
  const action = /<form method="post" action="([^"]+)"/.exec(consent)?.[1]?.replace(/&amp;/g, "&");
  if (!action) throw new Error("the sandbox's consent page has no form");
  await go(`${app.sandboxUrl}${action}`, { method: "POST" });
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** The workspace's journeys, from the Worker's JSON API (GET /api/journeys, up to 200). */
async function journeys(): Promise<{ id: string; dealId: string }[]> {
  const response = await fetch(`${app.appUrl}/api/journeys?status=all`, { headers: { cookie: session } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { journeys: { id: string; dealId: string }[] }).journeys;
}

/** The welcome emails in the sandbox's mailbox, by recipient address (GET /control/state). */
async function welcomes(): Promise<Map<string, number>> {
  const state = (await (await fetch(`${app.sandboxUrl}/control/state`)).json()) as { emails: SentEmail[] };
  const count = new Map<string, number>();
  for (const mail of state.emails) {
    if (!mail.subject.startsWith("Welcome, ")) continue;
    const address = (/<([^>]+)>/.exec(mail.to)?.[1] ?? mail.to).trim().toLowerCase();
    count.set(address, (count.get(address) ?? 0) + 1);
  }
  return count;
}

async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function createDeals(count: number): Promise<DealView[]> {
  const created = await post("/hubspot/deals/batch", { count, amount: 900 });
  expect(created.status).toBe(201);
  return created.body.deals as DealView[];
}

beforeAll(async () => {
  app = await startSandboxApp();
  session = await signIn();
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe("many deals won at once in the sandbox", () => {
  it("150 deals won at once give 150 journeys and 150 welcome emails, one per client", async () => {
    const deals = await createDeals(150);
    expect(deals).toHaveLength(150);
    const ids = deals.map((d) => d.id);
    const addresses = new Set(deals.map((d) => d.contact?.email ?? ""));
    expect(addresses.size).toBe(150);
    expect(deals.every((d) => d.stage !== "closedwon")).toBe(true);

    const started = Date.now();
    // One signed request per deal (perDelivery defaults to 1), all 150 in flight together.
    const won = await post("/hubspot/deals/win", { ids });
    expect(won.status).toBe(200);
    const deliveries = won.body.deliveries as Delivered[];
    const delivered = Date.now() - started;
    expect(deliveries).toHaveLength(150);
    expect(deliveries.filter((d) => !(d.ok && d.status >= 200 && d.status < 300))).toEqual([]);
    expect(deliveries.flatMap((d) => d.dealIds).sort()).toEqual([...ids].sort());
    expect((won.body.deals as DealView[]).every((d) => d.stage === "closedwon")).toBe(true);

    const mailbox = await until("150 welcome emails", 240_000, async () => {
      const sent = await welcomes();
      return [...addresses].every((a) => sent.has(a)) ? sent : undefined;
    });
    const mailed = Date.now() - started;
    // Each client once: no welcome twice, even a little later (a late duplicate would show here).
    await new Promise((r) => setTimeout(r, 3000));
    const settled = await welcomes();
    expect([...addresses].map((a) => settled.get(a))).toEqual([...addresses].map(() => 1));
    expect([...addresses].map((a) => mailbox.get(a))).toEqual([...addresses].map(() => 1));

    const listed = (await journeys()).filter((j) => ids.includes(j.dealId));
    expect(listed).toHaveLength(150);
    expect(new Set(listed.map((j) => j.dealId)).size).toBe(150);
    expect(new Set(listed.map((j) => j.id)).size).toBe(150);
    // No step had to retry because the Worker lost its connection to the sandbox (a keep-alive race, see server.ts).
    expect(app.logs()).not.toContain("Network connection lost");
    expect(app.logs()).not.toMatch(/"msg":"step failed"[^\n]*"status":0,/);
    console.info(`burst: 150 deliveries answered in ${delivered} ms; 150 welcome emails after ${mailed} ms`);
  }, 300_000);

  it("batches events per request as HubSpot does (perDelivery), one journey per deal", async () => {
    const deals = await createDeals(4);
    const ids = deals.map((d) => d.id);
    const won = await post("/hubspot/deals/win", { ids, perDelivery: 3 });
    expect(won.status).toBe(200);
    const deliveries = won.body.deliveries as Delivered[];
    expect(deliveries.map((d) => d.dealIds)).toEqual([ids.slice(0, 3), ids.slice(3)]);
    expect(deliveries.every((d) => d.ok)).toBe(true);
    const listed = await until("4 journeys", 60_000, async () => {
      const found = (await journeys()).filter((j) => ids.includes(j.dealId));
      return found.length >= 4 ? found : undefined;
    });
    expect(new Set(listed.map((j) => j.dealId))).toEqual(new Set(ids));
    expect(listed).toHaveLength(4);
  }, 90_000);

  it("refuses a batch or a win it cannot do, before changing anything", async () => {
    for (const body of [{}, { count: 0 }, { count: 501 }, { count: 1.5 }, { count: 2, amount: -1 }]) {
      expect((await post("/hubspot/deals/batch", body)).status, JSON.stringify(body)).toBe(400);
    }
    const [deal] = await createDeals(1);
    const id = deal?.id ?? "";
    for (const body of [{}, { ids: [] }, { ids: [Number(id)] }, { ids: [id, id] }, { ids: [id], perDelivery: 101 }]) {
      expect((await post("/hubspot/deals/win", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await post("/hubspot/deals/win", { ids: [id, "999999999"] })).status).toBe(404);
    expect(app.sandbox.hubspot.deals.get(id)?.properties.dealstage).not.toBe("closedwon");
  });
});
