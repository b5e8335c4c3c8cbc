import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { signHubspotRequest } from "../../integrations/hubspot/webhook-signature";
import { signNotionBody } from "../../integrations/notion/webhook-signature";
import worker from "../../src/index";
import { TEST_BINDINGS as B } from "../bindings";
import { APP, captureLogs, connectWorkspace, count, dealStageEvent, stripeAccountOf } from "../world";

const logs = captureLogs();

/** The INTAKE producer of a queue that refuses every send (as during a Queues outage). */
const refusing = {
  send: () => Promise.reject(new Error("queue unavailable")),
  sendBatch: () => Promise.reject(new Error("queue unavailable")),
};

/** Calls the Worker with a refusing INTAKE queue and otherwise the test environment. */
function post(path: string, body: string, headers: Record<string, string>) {
  const request = new Request(`${APP}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return worker.fetch(request, { ...env, INTAKE: refusing as unknown as Queue }, createExecutionContext());
}

/** Each provider's signed delivery for the workspace `ws-iu` (portal 7400001). */
type Delivery = { path: string; body: string; headers: Record<string, string> };
const deliveries: Record<string, () => Promise<Delivery>> = {
  hubspot: async () => {
    const body = JSON.stringify([dealStageEvent("7400001", "9401", "closedwon", 740001)]);
    const path = "/webhooks/hubspot";
    const headers = await signHubspotRequest({
      method: "POST",
      uri: `${APP}${path}`,
      body,
      secret: B.HUBSPOT_CLIENT_SECRET,
    });
    return { path, body, headers };
  },
  stripe: async () => {
    const object = { id: "cus_iu", object: "customer" };
    const event = {
      id: "evt_iu_1",
      object: "event",
      type: "customer.created",
      created: 1_900_000_000,
      account: stripeAccountOf("ws-iu"),
      data: { object },
    };
    const body = JSON.stringify(event);
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: body,
      secret: B.STRIPE_WEBHOOK_SECRET,
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    return { path: "/webhooks/stripe", body, headers: { "stripe-signature": signature } };
  },
  notion: async () => {
    const event = {
      id: "nev-iu-1",
      type: "page.content_updated",
      timestamp: "2026-11-30T10:00:00.000Z",
      workspace_id: "notion-ws-iu",
      entity: { id: "page-iu", type: "page" },
    };
    const body = JSON.stringify(event);
    return { path: "/webhooks/notion", body, headers: await signNotionBody(body, B.NOTION_WEBHOOK_VERIFICATION_TOKEN) };
  },
};

describe("a queue that refuses the send", () => {
  it.each(Object.keys(deliveries))("answers a verified %s delivery 503 and records nothing", async (provider) => {
    await connectWorkspace(env, "ws-iu", "7400001");
    const { path, body, headers } = await (deliveries[provider] as () => Promise<Delivery>)();
    const response = await post(path, body, headers);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "intake_unavailable" });
    expect(await count(env, "webhook_events")).toBe(0);
    expect(await count(env, "journeys", "workspace_id = ?", "ws-iu")).toBe(0);
    expect(logs.some((l) => l.includes('"msg":"intake send failed"') && l.includes(`"provider":"${provider}"`))).toBe(
      true,
    );
  });
});
