import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeContractViolations } from "../../emulators/contracts/gate";
import { GoogleFake } from "../../emulators/google";
import { HubspotFake } from "../../emulators/hubspot";
import { NotionFake } from "../../emulators/notion";
import { EMULATED_ACCOUNT, StripeFake } from "../../emulators/stripe";
import { signHubspotRequest } from "../../integrations/hubspot/webhook-signature";
import { type ConsumedDelivery, consumedOf } from "../intake-log";
import { listen } from "./provider-server";
import { eventually, startWorker } from "./wrangler-dev";

const SECRETS = {
  hubspotClient: "e2e-hubspot-client-secret",
  stripeWebhook: "whsec_e2e_secret",
  hubspotToken: "pat-e2e",
  stripeKey: "sk_test_e2e",
  notionToken: "ntn_e2e",
  board: "board-e2e-0000-4000-8000-000000000001",
  googleRefresh: "1//e2e-refresh",
};
const PORTAL = "880001";

let hubspot: HubspotFake;
let stripe: StripeFake;
let notion: NotionFake;
let google: GoogleFake;
const servers: Server[] = [];
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  const hs = await listen((origin) => {
    hubspot = new HubspotFake(origin, SECRETS.hubspotToken);
    return hubspot.handlers();
  });
  const st = await listen((origin) => {
    stripe = new StripeFake(origin, SECRETS.stripeKey);
    return stripe.handlers();
  });
  const no = await listen((origin) => {
    notion = new NotionFake(origin, SECRETS.notionToken, SECRETS.board);
    return notion.handlers();
  });
  const go = await listen((origin) => {
    google = new GoogleFake(origin, origin, "e2e-client-id", "e2e-client-secret");
    google.refreshTokens.add(SECRETS.googleRefresh);
    return google.handlers();
  });
  servers.push(hs.server, st.server, no.server, go.server);
  worker = await startWorker({
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    HUBSPOT_CLIENT_SECRET: SECRETS.hubspotClient,
    STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhook,
    GOOGLE_CLIENT_ID: "e2e-client-id",
    GOOGLE_CLIENT_SECRET: "e2e-client-secret",
    HUBSPOT_API_BASE: hs.origin,
    STRIPE_API_BASE: st.origin,
    NOTION_API_BASE: no.origin,
    GOOGLE_API_BASE: go.origin,
    GOOGLE_OAUTH_BASE: go.origin,
    SEED_FROM_ENV: "true",
    SEED_WORKSPACE_ID: "e2e",
    SEED_HUBSPOT_PORTAL_ID: PORTAL,
    SEED_HUBSPOT_ACCESS_TOKEN: SECRETS.hubspotToken,
    SEED_STRIPE_SECRET_KEY: SECRETS.stripeKey,
    SEED_STRIPE_ACCOUNT_ID: EMULATED_ACCOUNT,
    SEED_NOTION_TOKEN: SECRETS.notionToken,
    SEED_NOTION_BOARD_ID: SECRETS.board,
    SEED_GOOGLE_REFRESH_TOKEN: SECRETS.googleRefresh,
    SEED_GOOGLE_EMAIL: "studio@example.com",
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  for (const server of servers) server.close();
  // The Worker under wrangler dev called the emulators as in production: every call within the providers' contracts.
  expect(takeContractViolations(), "provider contract violations").toEqual([]);
});

async function postHubspot(events: unknown[]) {
  const url = `${worker.url}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const headers = await signHubspotRequest({ method: "POST", uri: url, body, secret: SECRETS.hubspotClient });
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/**
 * What the intake queue's consumer did with a delivery the Worker accepted
 * (its answer names the delivery): its record in the consumer's "intake
 * batch" log line, waited for. Under wrangler dev the answer comes before the
 * event is processed.
 */
async function consumed(response: Response): Promise<ConsumedDelivery> {
  expect(response.status).toBe(200);
  const ack = (await response.json()) as { queued?: boolean; delivery?: string };
  expect(ack).toMatchObject({ received: 1, queued: true });
  return eventually(
    `the consumer's record of delivery ${ack.delivery}`,
    () => consumedOf(worker.logs().split("\n"), ack.delivery ?? "")[0],
  );
}

describe("under wrangler dev, as a user runs it", () => {
  it("answers /health and refuses an unsigned webhook", async () => {
    expect(await (await fetch(`${worker.url}/health`)).json()).toMatchObject({ status: "ok" });
    const unsigned = await fetch(`${worker.url}/webhooks/hubspot`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
    });
    expect(unsigned.status).toBe(401);
  });

  it("runs a won deal through the default process to fulfillment against the provider emulators", async () => {
    hubspot.addDeal("3101", {
      properties: {
        dealname: "Website refresh",
        amount: "1800",
        dealstage: "closedwon",
        closedate: "2026-11-23T09:00:00Z",
      },
      contact: { email: "lin@client.test", firstname: "Lin", lastname: "Park" },
    });
    const response = await postHubspot([
      {
        eventId: 1,
        portalId: Number(PORTAL),
        objectId: 3101,
        subscriptionType: "deal.propertyChange",
        propertyName: "dealstage",
        propertyValue: "closedwon",
        occurredAt: Date.now(),
        attemptNumber: 0,
      },
    ]);
    expect(await consumed(response)).toMatchObject({ started: 1 });

    // The default process template: agreement link, 50 % deposit, card, welcome email, kickoff.
    const welcome = await eventually("the welcome email", () =>
      google.sent.find((m) => m.to.includes("lin@client.test")),
    );
    expect(welcome.subject).toBe("Welcome, Lin: your next steps");
    const agreement = new RegExp(`${worker.url}(/c/\\S+)`).exec(welcome.text)?.[1];
    if (!agreement) throw new Error(`no agreement link in: ${welcome.text}`);
    const invoice = await eventually("the deposit invoice", () =>
      [...stripe.invoices.values()].find((i) => i.status === "open"),
    );
    expect(invoice.amount_due).toBe(90000);
    await eventually("the kickoff invitation", () => google.events.size === 1);

    // The client pays the deposit first, then reads and accepts the agreement on its page.
    // Delivered as Stripe's Connect endpoint does: signed, with the seeded connection's account.
    const [delivery] = await stripe.webhooks.deliveries(
      stripe.event("invoice.paid", stripe.pay(invoice.id)),
      EMULATED_ACCOUNT,
      { url: `${worker.url}/webhooks/stripe`, secret: SECRETS.stripeWebhook },
    );
    if (!delivery) throw new Error("Stripe would deliver the event to the Connect endpoint");
    const paid = await fetch(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...delivery.headers },
      body: delivery.body,
    });
    expect(await consumed(paid)).toMatchObject({ outcomes: "signalled" });
    const page = await (await fetch(`${worker.url}${agreement}`)).text();
    expect(page).toContain("Website refresh");
    const textSha256 = /name="text_sha256" value="([0-9a-f]{64})"/.exec(page)?.[1] ?? "";
    const accepted = await fetch(`${worker.url}${agreement}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "203.0.113.9" },
      body: new URLSearchParams({ name: "Lin Park", text_sha256: textSha256 }).toString(),
    });
    expect(accepted.status).toBe(200);

    const [card] = [...notion.pages.values()];
    await eventually("the card in progress", () => card && notion.value(card.id, "Status") === "In progress");
    // The deal follows the journey: the deposit step's status, then fulfillment's phase status (written when it starts).
    await eventually(
      "the deal in progress",
      () => hubspot.deals.get("3101")?.properties.clientflow_status === "In progress",
    );
    const written = hubspot.requests
      .matching("PATCH", "/crm/v3/objects/deals/3101")
      .map((r) => (r.body as { properties: Record<string, string> }).properties.clientflow_status)
      .filter((s) => s !== undefined);
    expect(written.indexOf("Deposit paid")).toBeGreaterThanOrEqual(0);
    expect(written.indexOf("Deposit paid")).toBeLessThan(written.lastIndexOf("In progress"));
    for (const secret of [SECRETS.hubspotToken, SECRETS.stripeKey, SECRETS.notionToken, SECRETS.googleRefresh]) {
      expect(worker.logs()).not.toContain(secret);
    }
  }, 120_000);
});
