import { env, exports } from "cloudflare:workers";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { saveConnection } from "../../src/store/connections";
import { recordJourneyInvoice } from "../../src/store/journey-invoices";
import { insertJourney, updateJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { APP, captureLogs, connectWorkspace, count, intakeOutcomes, postStripe, useWorld } from "../world";

const world = useWorld();

/** Log lines of the current test: the reason for a refusal goes there, never to the wire. */
const logs = captureLogs();

const WS = "ws-stripe";
const OTHER_WS = "ws-stripe-other";
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  await connectWorkspace(env, WS, "7300001");
  await connectWorkspace(env, OTHER_WS, "7300002");
});

/** An invoice as Stripe embeds it in invoice.* events, with the metadata Clientflow writes. */
function invoice(id: string, metadata: Record<string, string>) {
  return {
    id,
    object: "invoice",
    status: "paid",
    metadata,
    status_transitions: { paid_at: nowS(), finalized_at: null },
  };
}

async function eventRow(eventId: string) {
  return env.DB.prepare("SELECT * FROM webhook_events WHERE provider = 'stripe' AND event_id = ?")
    .bind(eventId)
    .first<{ workspace_id: string; event_type: string; outcome: string | null; journey_id: string | null }>();
}

describe("POST /webhooks/stripe: refused deliveries store nothing", () => {
  const paid = () =>
    world.stripe.event(
      "invoice.paid",
      invoice("in_refused", { clientflow_workspace_id: WS, clientflow_journey_id: "x" }),
    );

  async function expectRefused(response: Response, status: number, error: string) {
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
    expect(await count(env, "webhook_events")).toBe(0);
  }

  it("answers a wrong secret with a generic 401", async () => {
    const response = await postStripe(paid(), { secret: "whsec_not_ours" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "invalid_signature",
      message: "Webhook signature verification failed",
    });
    expect(await count(env, "webhook_events")).toBe(0);
    expect(logs.some((l) => l.includes('"provider":"stripe"') && l.includes("signature mismatch"))).toBe(true);
  });

  it("refuses a signature ten minutes old", async () => {
    await expectRefused(await postStripe(paid(), { timestamp: nowS() - 600 }), 401, "invalid_signature");
  });

  it("refuses a signature dated ten minutes ahead", async () => {
    await expectRefused(await postStripe(paid(), { timestamp: nowS() + 600 }), 401, "invalid_signature");
    expect(logs.some((l) => l.includes('"reason":"timestamp in the future"'))).toBe(true);
  });

  it("refuses a delivery without Stripe-Signature", async () => {
    const response = await exports.default.fetch(`${APP}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(paid()),
    });
    await expectRefused(response, 401, "invalid_signature");
    expect(logs.some((l) => l.includes('"reason":"missing Stripe-Signature header"'))).toBe(true);
  });

  it("refuses a body other than the one that was signed", async () => {
    const signed = JSON.stringify(paid());
    const sent = signed.replace('"livemode":false', '"livemode":true');
    const header = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: signed,
      secret: B.STRIPE_WEBHOOK_SECRET,
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    const response = await postStripe(null, { rawBody: sent, headers: { "stripe-signature": header } });
    await expectRefused(response, 401, "invalid_signature");
  });

  it("answers a correctly signed body that is not JSON with 400", async () => {
    await expectRefused(await postStripe(null, { rawBody: '{"id": "evt_broken",' }), 400, "invalid_request");
  });

  it("answers a correctly signed JSON body that is not an event with 400", async () => {
    await expectRefused(await postStripe(null, { rawBody: '{"hello":"world"}' }), 400, "invalid_request");
  });

  it("answers a Content-Type other than JSON with 415", async () => {
    await expectRefused(
      await postStripe(paid(), { headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("answers a body over 1 MiB with 413", async () => {
    const event = world.stripe.event("invoice.paid", {
      ...invoice("in_big", {}),
      description: "x".repeat(1024 * 1024),
    });
    await expectRefused(await postStripe(event), 413, "payload_too_large");
  });
});

describe("POST /webhooks/stripe: accepted deliveries", () => {
  it("accepts a delivery signed with the previous webhook secret during rotation", async () => {
    const event = world.stripe.event("customer.created", {
      id: "cus_rot",
      object: "customer",
      metadata: { clientflow_workspace_id: WS },
    });
    const response = await postStripe(event, { secret: B.STRIPE_WEBHOOK_SECRET_PREVIOUS });

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["ignored"]);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: WS, event_type: "customer.created" });
  });

  it("records invoice.paid for a journey that does not exist as unknown_journey", async () => {
    const event = world.stripe.event(
      "invoice.paid",
      invoice("in_nojourney", { clientflow_workspace_id: WS, clientflow_journey_id: "onb-does-not-exist" }),
    );
    const response = await postStripe(event);

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["unknown_journey"]);
    expect(await eventRow(event.id)).toMatchObject({
      workspace_id: WS,
      event_type: "invoice.paid",
      outcome: "unknown_journey",
      journey_id: null,
    });
  });

  it("does not route invoice.paid to a journey of another workspace", async () => {
    await insertJourney(env.DB, { id: "onb-other-tenant", workspaceId: OTHER_WS, dealId: "9301" });
    const event = world.stripe.event(
      "invoice.paid",
      invoice("in_cross", { clientflow_workspace_id: WS, clientflow_journey_id: "onb-other-tenant" }),
    );
    const response = await postStripe(event);

    expect(await intakeOutcomes(response)).toEqual(["unknown_journey"]);
    expect(await eventRow(event.id)).toMatchObject({ outcome: "unknown_journey", journey_id: null });
  });

  it("does not signal a journey for an invoice other than its own", async () => {
    await insertJourney(env.DB, { id: "onb-own-invoice", workspaceId: WS, dealId: "9302" });
    await updateJourney(env.DB, "onb-own-invoice", { invoiceId: "in_own", status: "waiting" });
    const event = world.stripe.event(
      "invoice.paid",
      invoice("in_someone_else", { clientflow_workspace_id: WS, clientflow_journey_id: "onb-own-invoice" }),
    );
    const response = await postStripe(event);

    expect(await intakeOutcomes(response)).toEqual(["other_invoice"]);
    expect(await eventRow(event.id)).toMatchObject({ outcome: "other_invoice", journey_id: "onb-own-invoice" });
  });

  it("answers 2xx for a journey whose Workflow instance is gone, so Stripe stops retrying", async () => {
    await insertJourney(env.DB, { id: "onb-no-instance", workspaceId: WS, dealId: "9303" });
    await updateJourney(env.DB, "onb-no-instance", { invoiceId: "in_orphan", status: "waiting" });
    await recordJourneyInvoice(env.DB, {
      workspaceId: WS,
      invoiceId: "in_orphan",
      journeyId: "onb-no-instance",
      purpose: "deposit",
    });
    const event = world.stripe.event(
      "invoice.paid",
      invoice("in_orphan", { clientflow_workspace_id: WS, clientflow_journey_id: "onb-no-instance" }),
    );
    const response = await postStripe(event);

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["journey_finished"]);
  });

  it("routes by the connected Stripe account when the event names one, without metadata", async () => {
    await upsertWorkspace(env.DB, { id: "ws-stripe-connect", name: "Connect Studio", settings: {} });
    await saveConnection(env.DB, env, {
      workspaceId: "ws-stripe-connect",
      provider: "stripe",
      externalAccountId: "acct_1ConnectStudio",
      credentials: { accessToken: "sk_test_connect" },
      config: {},
      source: "oauth",
    });
    const event = world.stripe.event(
      "customer.created",
      { id: "cus_c", object: "customer", metadata: {} },
      {
        account: "acct_1ConnectStudio",
      },
    );
    const response = await postStripe(event);

    expect(await intakeOutcomes(response)).toEqual(["ignored"]);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: "ws-stripe-connect", outcome: "ignored" });
  });

  it("records an event without an account (the platform's own) as unknown_account", async () => {
    const event = world.stripe.event("invoice.paid", invoice("in_foreign", {}));
    const response = await postStripe(event, { account: null });

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["unknown_account"]);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: "", outcome: "unknown_account" });
  });

  it("records an event of an account no workspace connected as unknown_account, whatever its metadata names", async () => {
    for (const [id, metadata] of [
      ["in_ghost", { clientflow_workspace_id: "ws-ghost" }],
      ["in_named", { clientflow_workspace_id: WS }],
    ] as const) {
      const event = world.stripe.event("invoice.paid", invoice(id, metadata));
      const response = await postStripe(event, { account: "acct_1NotConnected0000" });

      expect(await intakeOutcomes(response)).toEqual(["unknown_account"]);
      expect(await eventRow(event.id)).toMatchObject({ workspace_id: "", outcome: "unknown_account" });
    }
  });

  it("does not route an account whose connection is a pasted key (its events have their own endpoint)", async () => {
    await upsertWorkspace(env.DB, { id: "ws-stripe-keyed", name: "Keyed Studio", settings: {} });
    await saveConnection(env.DB, env, {
      workspaceId: "ws-stripe-keyed",
      provider: "stripe",
      externalAccountId: "acct_1KeyedStudio",
      credentials: { accessToken: "rk_test_keyed" },
      config: {},
      source: "key",
    });
    const event = world.stripe.event("customer.created", { id: "cus_k", object: "customer", metadata: {} });
    const response = await postStripe(event, { account: "acct_1KeyedStudio" });

    expect(await intakeOutcomes(response)).toEqual(["unknown_account"]);
  });

  it("records an unrelated event type for a known workspace as ignored", async () => {
    const event = world.stripe.event("customer.created", {
      id: "cus_new",
      object: "customer",
      metadata: { clientflow_workspace_id: WS },
    });
    const response = await postStripe(event);

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["ignored"]);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: WS, outcome: "ignored" });
  });

  it("answers a redelivered event id as a duplicate and keeps one row", async () => {
    const event = world.stripe.event("customer.updated", {
      id: "cus_dup",
      object: "customer",
      metadata: { clientflow_workspace_id: WS },
    });

    const first = await postStripe(event);
    expect(await intakeOutcomes(first)).toEqual(["ignored"]);
    const second = await postStripe(event);

    expect(second.status).toBe(200);
    expect(await intakeOutcomes(second)).toEqual(["duplicate"]);
    expect(await count(env, "webhook_events", "provider = 'stripe' AND event_id = ?", event.id)).toBe(1);
    expect(await eventRow(event.id)).toMatchObject({ outcome: "ignored" });
  });
});
