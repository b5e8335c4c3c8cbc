import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { STRIPE_API_VERSION } from "../../integrations/stripe/http";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { TEST_BINDINGS as B } from "../bindings";
import { connect, signIn } from "../browser";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import {
  APP,
  connectWorkspace,
  dealStageEvent,
  intakeOutcomes,
  postHubspot,
  postStripe,
  stripeAccountOf,
  useWorld,
  watchJourney,
} from "../world";

const world = useWorld();
const HANDLED = [
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  "invoice.voided",
  "invoice.marked_uncollectible",
];
const CONNECT = { url: `${APP}/webhooks/stripe`, secret: B.STRIPE_WEBHOOK_SECRET };

/** A won deal's journey, run up to the wait for its invoice's payment. */
async function waitingJourney(ws: string, portal: string, deal: string, hubspotEventId: number) {
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  const instance = await watchJourney(journeyId);
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", hubspotEventId)]));
  await instance.waitForStepResult({ name: "onboarding.update-deal" });
  const [invoice] = sideEffects(world, journeyId, email).invoices;
  if (!invoice) throw new Error("the journey's invoice expected");
  return { journeyId, instance, invoice };
}

/** An attack: a real journey's ids in the metadata, the attacker's address and link in the invoice. */
const forged = (invoice: { id: string }, ws: string, journeyId: string) => ({
  ...invoice,
  customer_email: "victim@elsewhere.test",
  customer_name: "Victim",
  hosted_invoice_url: "https://phish.test/pay",
  metadata: { clientflow_workspace_id: ws, clientflow_journey_id: journeyId },
});

/** The one outcome of an accepted Stripe delivery (read from the intake consumer, which processes it). */
async function outcome(response: Response) {
  expect(response.status).toBe(200);
  const [only, ...more] = await intakeOutcomes(response);
  expect(more).toEqual([]);
  return only ?? "";
}

const recorded = (eventId: string) =>
  env.DB.prepare("SELECT workspace_id, outcome FROM webhook_events WHERE provider = 'stripe' AND event_id = ?")
    .bind(eventId)
    .first<{ workspace_id: string; outcome: string }>();

/** Posts Stripe's deliveries of an event (see StripeWebhookEndpoints.deliveries); answers the outcomes. */
async function deliverAll(event: { type: string } & Record<string, unknown>, account: string) {
  const outcomes: string[] = [];
  for (const d of await world.stripe.webhooks.deliveries(event, account, CONNECT)) {
    const response = await exports.default.fetch(d.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...d.headers },
      body: d.body,
    });
    outcomes.push(await outcome(response));
  }
  return outcomes;
}

describe("Stripe App mode: POST /webhooks/stripe routes by event.account only", () => {
  it("records and acknowledges an event with no account, or an unconnected one, naming a real journey in its metadata: no email, not paid", async () => {
    const [ws, portal] = ["ws-route-forged", "4410071"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const { journeyId, instance, invoice } = await waitingJourney(ws, portal, "8711", 99101);
    await using _ = instance;

    for (const account of [null, "acct_1Stranger000000"]) {
      for (const type of ["invoice.payment_failed", "invoice.paid"]) {
        const event = world.stripe.event(type, forged(invoice, ws, journeyId));
        expect(await outcome(await postStripe(event, { account }))).toBe("unknown_account");
        expect(await recorded(event.id)).toEqual({ workspace_id: "", outcome: "unknown_account" });
      }
    }
    expect(world.google.sent.filter((m) => m.to.includes("victim@elsewhere.test"))).toEqual([]);
    expect(world.google.sent.filter((m) => m.subject.includes("did not go through"))).toEqual([]);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("waiting");

    // The account's own invoice.paid, delivered as Stripe would (Connect, with `account`), pays it.
    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    expect(await deliverAll(paid, stripeAccountOf(ws))).toEqual(["signalled"]);
    await instance.waitForStatus("complete");
  });

  it("does not pay a journey with an invoice from its own account that it did not create, whatever the metadata says", async () => {
    const [ws, portal] = ["ws-route-other-invoice", "4410072"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const { journeyId, instance, invoice } = await waitingJourney(ws, portal, "8712", 99102);
    await using _ = instance;

    const foreign = { ...forged(invoice, ws, journeyId), id: "in_1NotTheJourneys", status: "paid" };
    const event = world.stripe.event("invoice.paid", foreign);
    expect(await outcome(await postStripe(event, { account: stripeAccountOf(ws) }))).toBe("other_invoice");
    const failed = world.stripe.event("invoice.payment_failed", foreign);
    expect(await outcome(await postStripe(failed, { account: stripeAccountOf(ws) }))).toBe("other_invoice");
    expect(world.google.sent.filter((m) => m.to.includes("victim@elsewhere.test"))).toEqual([]);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("waiting");
  });
});

describe("restricted-key mode: the workspace's own endpoint", () => {
  it("creates the endpoint at connect, routes what its secret signs, refuses others, replaces and deletes it", async () => {
    const session = await signIn(world, { sub: "owner-route-key", email: "owner-route-key@studio.test" });
    const ws = (await findOwner(env.DB, "owner-route-key"))?.workspaceId ?? "";
    const portal = "4410073";
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const [key, account] = ["rk_test_51RouteKey0000000key", "acct_1KeyedBusiness00"];
    world.stripe.restrictedKey(key, account);
    const connected = await session.browser.post("/connections/stripe/key", { key }, session.csrf);
    expect(connected.status).toBe(303);

    // One endpoint in the key's account: exactly the handled events, at an opaque URL.
    const [endpoint, ...more] = world.stripe.webhooks.of(account);
    expect(more).toEqual([]);
    expect(endpoint?.enabled_events).toEqual(HANDLED);
    // Its events are rendered in the version the code is typed for, not the account's default.
    expect(endpoint?.api_version).toBe(STRIPE_API_VERSION);
    const url = endpoint?.url ?? "";
    expect(url).toMatch(/^https:\/\/clientflow\.test\/webhooks\/stripe\/e\/[A-Za-z0-9_-]{22}$/);
    expect(url).not.toContain(ws);
    // Its secret is stored sealed, never in plain text.
    const row = await env.DB.prepare("SELECT * FROM stripe_webhook_endpoints WHERE workspace_id = ?")
      .bind(ws)
      .first<{ id: string; stripe_endpoint_id: string; signing_secret: string }>();
    expect(row).toMatchObject({ id: url.split("/").at(-1), stripe_endpoint_id: endpoint?.id });
    expect(row?.signing_secret).not.toContain(endpoint?.secret ?? "whsec_");
    expect(JSON.stringify(row)).not.toContain(endpoint?.secret ?? "whsec_");

    const { journeyId, instance, invoice } = await waitingJourney(ws, portal, "8713", 99103);
    await using _ = instance;
    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    const path = new URL(url).pathname;

    // Signed with the platform secret at the endpoint's URL: 401. An unknown endpoint id: 404.
    expect((await postStripe(paid, { path, account: null })).status).toBe(401);
    const unknown = await postStripe(paid, { path: "/webhooks/stripe/e/AAAAAAAAAAAAAAAAAAAAAA", account: null });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "unknown_tenant" });
    // Signed with its secret but naming another account: recorded, not routed.
    const foreign = world.stripe.event("invoice.payment_failed", forged(invoice, ws, journeyId));
    const strayed = await postStripe(foreign, { path, secret: endpoint?.secret, account: "acct_1Stranger000000" });
    expect(await outcome(strayed)).toBe("unknown_account");
    expect(world.google.sent.filter((m) => m.to.includes("victim@elsewhere.test"))).toEqual([]);
    // The platform endpoint does not route the key-connected account's events either.
    expect(await outcome(await postStripe(paid, { account }))).toBe("unknown_account");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("waiting");

    // Stripe's delivery: to the account's own endpoint, signed with its secret, without `account`.
    expect(await deliverAll(world.stripe.event("invoice.paid", invoice), account)).toEqual(["signalled"]);
    await instance.waitForStatus("complete");

    // Reconnecting replaces the endpoint (the old one is deleted at Stripe); disconnecting deletes it.
    expect((await session.browser.post("/connections/stripe/key", { key }, session.csrf)).status).toBe(303);
    const [replacement, ...others] = world.stripe.webhooks.of(account);
    expect(others).toEqual([]);
    expect(replacement?.id).not.toBe(endpoint?.id);
    expect((await postStripe(paid, { path, secret: endpoint?.secret, account: null })).status).toBe(404);
    const disconnected = await session.browser.fetch("/connections/stripe", {
      method: "DELETE",
      headers: { "x-csrf-token": session.csrf },
    });
    expect(disconnected.status).toBe(200);
    expect(world.stripe.webhooks.of(account)).toEqual([]);
    expect(
      await env.DB.prepare("SELECT id FROM stripe_webhook_endpoints WHERE workspace_id = ?").bind(ws).first(),
    ).toBe(null);
  });

  it("refuses a key without Webhook Endpoints: Write (422, naming it) and stores nothing", async () => {
    const session = await signIn(world, { sub: "owner-route-nowh", email: "owner-route-nowh@studio.test" });
    const ws = (await findOwner(env.DB, "owner-route-nowh"))?.workspaceId ?? "";
    const key = "rk_test_51NoWebhooks000000key";
    world.stripe.restrictedKey(key, "acct_1NoWebhooks00000", ["customers", "invoices", "invoiceitems"]);
    // The owner's form post gets a page that says why (HTML for people); the code is the API's.
    const response = await session.browser.post("/connections/stripe/key", { key }, session.csrf);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("lacks the Webhook Endpoints permission");
    const asJson = await session.browser.fetch("/connections/stripe/key", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ key, _csrf: session.csrf }).toString(),
    });
    expect(((await asJson.json()) as { error: string }).error).toBe("stripe_key_missing_permission");
    const stored = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM connections WHERE workspace_id = ?1) + (SELECT COUNT(*) FROM stripe_webhook_endpoints WHERE workspace_id = ?1) AS n",
    )
      .bind(ws)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("switching the key to the Stripe App deletes the key's endpoint; the account's events then route by account", async () => {
    const session = await signIn(world, { sub: "owner-route-switch", email: "owner-route-switch@studio.test" });
    const ws = (await findOwner(env.DB, "owner-route-switch"))?.workspaceId ?? "";
    const [key, account] = ["rk_test_51SwitchKey000000key", "acct_1SwitchBusiness0"];
    world.stripe.restrictedKey(key, account);
    expect((await session.browser.post("/connections/stripe/key", { key }, session.csrf)).status).toBe(303);
    const [endpoint] = world.stripe.webhooks.of(account);
    if (!endpoint) throw new Error("the key's endpoint expected");

    const callback = await connect(
      session.browser,
      (url) => world.stripe.oauth.consent(url, { accountId: account }),
      "stripe",
    );
    expect(callback.status).toBe(302);
    expect(world.stripe.webhooks.of(account)).toEqual([]);
    const path = new URL(endpoint.url).pathname;
    const event = world.stripe.event("customer.created", { id: "cus_sw", object: "customer", metadata: {} });
    expect((await postStripe(event, { path, secret: endpoint.secret, account: null })).status).toBe(404);
    expect(await outcome(await postStripe(event, { account }))).toBe("ignored");
    expect(await recorded(event.id)).toEqual({ workspace_id: ws, outcome: "ignored" });
  });
});
