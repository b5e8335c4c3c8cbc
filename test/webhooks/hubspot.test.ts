import { env, exports } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signHubspotRequest } from "../../integrations/hubspot/webhook-signature";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import {
  APP,
  captureLogs,
  connectWorkspace,
  count,
  dealStageEvent,
  haltJourney,
  intakeTally,
  postHubspot,
  storedHubspotId,
  useWorld,
} from "../world";

const _world = useWorld();

/** Log lines of the current test: the reason for a refusal goes there, never to the wire. */
const logs = captureLogs();
const loggedReason = (reason: string) => logs.some((line) => line.includes(`"reason":"${reason}"`));

const URL_ = `${APP}/webhooks/hubspot`;
const MINUTE = 60_000;
/** HubSpot's headers for `body` POSTed to `uri`, signed with the current secret. */
const signFor = (body: string, uri = URL_) =>
  signHubspotRequest({ method: "POST", uri, body, secret: B.HUBSPOT_CLIENT_SECRET });

/** Every row a delivery could leave behind. */
const storedRows = async () => ({ events: await count(env, "webhook_events"), journeys: await count(env, "journeys") });

/** The row of HubSpot's `eventId` (stored under `<eventId>-<digest of the change>`). */
async function eventRow(eventId: number) {
  return env.DB.prepare("SELECT * FROM webhook_events WHERE provider = 'hubspot' AND event_id LIKE ?")
    .bind(`${eventId}-%`)
    .first<{ workspace_id: string; outcome: string | null; journey_id: string | null; processed_at: string | null }>();
}

/**
 * Introspects the journey's Workflow instance before it is created and makes
 * its first step fail, so the instance never reaches a provider. The journey
 * row and the webhook's answer are what these tests are about.
 */
async function haltedJourney(workspaceId: string, dealId: string) {
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  return { journeyId, instance: await haltJourney(journeyId) };
}

describe("POST /webhooks/hubspot: accepted deliveries", () => {
  it("starts one journey for a closed-won change to a connected portal and answers the tally", async () => {
    await connectWorkspace(env, "ws-hs-won", "7100001");
    const { journeyId, instance } = await haltedJourney("ws-hs-won", "8101");
    await using _ = instance;

    const response = await postHubspot(JSON.stringify([dealStageEvent("7100001", "8101", "closedwon", 710001)]));

    expect(response.status).toBe(200);
    // The ack names the delivery; what intake did follows off the request path (the queue consumer).
    expect(await response.clone().json()).toEqual({ received: 1, queued: true, delivery: expect.any(String) });
    expect(await intakeTally(response)).toEqual({
      received: 1,
      started: 1,
      dispatched: 0,
      duplicates: 0,
      ignored: 0,
      unknownTenant: 0,
    });
    expect(await findJourney(env.DB, journeyId)).toMatchObject({ workspaceId: "ws-hs-won", dealId: "8101" });
    expect(await eventRow(710001)).toMatchObject({
      workspace_id: "ws-hs-won",
      outcome: "started",
      journey_id: journeyId,
    });
    await instance.waitForStatus("errored");
  });

  it("ignores a stage change that is not the workspace's closed-won stage", async () => {
    await connectWorkspace(env, "ws-hs-stage", "7100002");
    const response = await postHubspot(
      JSON.stringify([dealStageEvent("7100002", "8102", "appointmentscheduled", 710002)]),
    );

    expect(response.status).toBe(200);
    expect(await intakeTally(response)).toEqual({
      received: 1,
      started: 0,
      dispatched: 0,
      duplicates: 0,
      ignored: 1,
      unknownTenant: 0,
    });
    expect(await count(env, "journeys", "workspace_id = ?", "ws-hs-stage")).toBe(0);
    expect(await eventRow(710002)).toMatchObject({ outcome: "ignored", journey_id: null });
  });

  it("uses the workspace's own closed-won stage id, not HubSpot's default", async () => {
    await connectWorkspace(env, "ws-hs-custom", "7100003", { closedWonStage: "stage-won-42" });
    const response = await postHubspot(JSON.stringify([dealStageEvent("7100003", "8103", "closedwon", 710003)]));

    expect(await intakeTally(response)).toMatchObject({ started: 0, ignored: 1 });
    expect(await count(env, "journeys", "workspace_id = ?", "ws-hs-custom")).toBe(0);
  });

  it("accepts a delivery signed with the previous client secret during rotation", async () => {
    await connectWorkspace(env, "ws-hs-rotated", "7100004");
    const response = await postHubspot(JSON.stringify([dealStageEvent("7100004", "8104", "qualified", 710004)]), {
      secret: B.HUBSPOT_CLIENT_SECRET_PREVIOUS,
    });

    expect(response.status).toBe(200);
    expect(await intakeTally(response)).toMatchObject({ received: 1, ignored: 1 });
    expect(await eventRow(710004)).toMatchObject({ workspace_id: "ws-hs-rotated", outcome: "ignored" });
  });

  it("answers a redelivery of the same signed batch as a duplicate and keeps one journey", async () => {
    await connectWorkspace(env, "ws-hs-dup", "7100005");
    const { journeyId, instance } = await haltedJourney("ws-hs-dup", "8105");
    await using _ = instance;
    const body = JSON.stringify([dealStageEvent("7100005", "8105", "closedwon", 710005)]);

    const first = await postHubspot(body);
    expect(await intakeTally(first)).toMatchObject({ received: 1, started: 1, duplicates: 0 });
    const second = await postHubspot(body);

    expect(second.status).toBe(200);
    expect(await intakeTally(second)).toEqual({
      received: 1,
      started: 0,
      dispatched: 0,
      duplicates: 1,
      ignored: 0,
      unknownTenant: 0,
    });
    expect(await count(env, "journeys", "workspace_id = ?", "ws-hs-dup")).toBe(1);
    expect(await count(env, "webhook_events", "event_id LIKE ?", "710005-%")).toBe(1);
    expect((await findJourney(env.DB, journeyId))?.dealId).toBe("8105");
    await instance.waitForStatus("errored");
  });

  it("starts no second journey when the same deal is won again under a new event id", async () => {
    await connectWorkspace(env, "ws-hs-rewon", "7100006");
    const { instance } = await haltedJourney("ws-hs-rewon", "8107");
    await using _ = instance;

    const first = await postHubspot(JSON.stringify([dealStageEvent("7100006", "8107", "closedwon", 710007)]));
    expect(await intakeTally(first)).toMatchObject({ started: 1 });
    await instance.waitForStatus("errored");
    const again = await postHubspot(JSON.stringify([dealStageEvent("7100006", "8107", "closedwon", 710008)]));

    expect(again.status).toBe(200);
    expect(await intakeTally(again)).toEqual({
      received: 1,
      started: 0,
      dispatched: 0,
      duplicates: 0,
      ignored: 0,
      unknownTenant: 0,
    });
    expect(await count(env, "journeys", "workspace_id = ?", "ws-hs-rewon")).toBe(1);
    expect(await eventRow(710008)).toMatchObject({ outcome: "duplicate_deal" });
  });

  it("dispatches again an event that was recorded but never processed (a crash mid-delivery)", async () => {
    await connectWorkspace(env, "ws-hs-crash", "7100007");
    const event = dealStageEvent("7100007", "8108", "qualified", 710009);
    await env.DB.prepare(
      "INSERT INTO webhook_events (provider, workspace_id, event_id, event_type) VALUES ('hubspot', ?, ?, ?)",
    )
      .bind("ws-hs-crash", await storedHubspotId(event), "deal.propertyChange")
      .run();
    const response = await postHubspot(JSON.stringify([event]));

    expect(await intakeTally(response)).toMatchObject({ received: 1, duplicates: 0, ignored: 1 });
    expect(await eventRow(710009)).toMatchObject({ outcome: "ignored", processed_at: expect.any(String) });
  });

  it("answers 200 for a batch where only some portals are unknown", async () => {
    await connectWorkspace(env, "ws-hs-mixed", "7100008");
    const response = await postHubspot(
      JSON.stringify([
        dealStageEvent("7100008", "8109", "qualified", 710010),
        dealStageEvent("7199998", "8110", "closedwon", 710011),
      ]),
    );

    expect(response.status).toBe(200);
    expect(await intakeTally(response)).toEqual({
      received: 2,
      started: 0,
      dispatched: 0,
      duplicates: 0,
      ignored: 1,
      unknownTenant: 1,
    });
    expect(await eventRow(710011)).toMatchObject({ workspace_id: "", outcome: "unknown_tenant" });
  });

  it("answers 404 unknown_tenant for a portal no workspace connected, and records the event", async () => {
    const response = await postHubspot(JSON.stringify([dealStageEvent("7199999", "8106", "closedwon", 710006)]));

    expect(response.status).toBe(404);
    expect(await response.clone().json()).toMatchObject({ error: "unknown_tenant" });
    expect(await intakeTally(response)).toMatchObject({ received: 1, unknownTenant: 1 });
    expect(await eventRow(710006)).toMatchObject({ workspace_id: "", outcome: "unknown_tenant", journey_id: null });
    expect(await count(env, "journeys", "deal_id = ?", "8106")).toBe(0);
  });
});

describe("POST /webhooks/hubspot: refused deliveries store nothing", () => {
  const body = () => JSON.stringify([dealStageEvent("7100100", "8200", "closedwon", 720000)]);

  async function expectRefused(response: Response, status: number, error: string) {
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
    expect(await storedRows()).toEqual({ events: 0, journeys: 0 });
  }

  beforeAll(async () => {
    // A connected portal, so a delivery that slipped through would start a journey.
    await connectWorkspace(env, "ws-hs-refused", "7100100");
  });
  beforeEach(async () => {
    // The accepted deliveries above wrote rows (storage is per file); each refusal starts from none.
    await env.DB.batch([env.DB.prepare("DELETE FROM webhook_events"), env.DB.prepare("DELETE FROM journeys")]);
  });

  it("answers a wrong secret with a generic 401 that names no reason", async () => {
    const response = await postHubspot(body(), { secret: "not-the-client-secret" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "invalid_signature",
      message: "Webhook signature verification failed",
    });
    expect(await storedRows()).toEqual({ events: 0, journeys: 0 });
    expect(loggedReason("signature mismatch")).toBe(true);
  });

  it("refuses a timestamp more than five minutes old", async () => {
    await expectRefused(await postHubspot(body(), { timestamp: Date.now() - 6 * MINUTE }), 401, "invalid_signature");
    expect(loggedReason("timestamp too old")).toBe(true);
  });

  it("refuses a timestamp more than five minutes in the future", async () => {
    await expectRefused(await postHubspot(body(), { timestamp: Date.now() + 6 * MINUTE }), 401, "invalid_signature");
    expect(loggedReason("timestamp in the future")).toBe(true);
  });

  it("refuses an unsigned delivery", async () => {
    await expectRefused(await postHubspot(body(), { unsigned: true }), 401, "invalid_signature");
    expect(loggedReason("missing signature header")).toBe(true);
  });

  it("refuses a signature without its timestamp header", async () => {
    const signed = await signFor(body());
    const response = await postHubspot(body(), {
      unsigned: true,
      headers: { "x-hubspot-signature-v3": signed["x-hubspot-signature-v3"] ?? "" },
    });
    await expectRefused(response, 401, "invalid_signature");
  });

  it("refuses a body other than the one that was signed", async () => {
    const signedBody = JSON.stringify([dealStageEvent("7100100", "8200", "appointmentscheduled", 720000)]);
    const headers = await signFor(signedBody);
    await expectRefused(await postHubspot(body(), { unsigned: true, headers }), 401, "invalid_signature");
  });

  it("refuses a signature made for another URL", async () => {
    const headers = await signFor(body(), `${APP}/webhooks/stripe`);
    await expectRefused(await postHubspot(body(), { unsigned: true, headers }), 401, "invalid_signature");
  });

  it("answers correctly signed malformed JSON with 400", async () => {
    await expectRefused(await postHubspot('[{"eventId": 1,'), 400, "invalid_request");
  });

  it.each([
    ["an object", () => JSON.stringify(dealStageEvent("7100100", "8200", "closedwon", 720001))],
    ["an empty array", () => "[]"],
    [
      "101 events",
      () =>
        JSON.stringify(
          Array.from({ length: 101 }, (_, i) => dealStageEvent("7100100", "8200", "closedwon", 730000 + i)),
        ),
    ],
    ["events without ids", () => JSON.stringify([{ subscriptionType: "deal.propertyChange", portalId: 7100100 }])],
    [
      "a negative portal id",
      () => JSON.stringify([{ ...dealStageEvent("7100100", "8200", "closedwon", 720002), portalId: -1 }]),
    ],
  ])("answers correctly signed JSON that is %s with 400", async (_name, make) => {
    await expectRefused(await postHubspot(make()), 400, "invalid_request");
  });

  it("answers a body that is not JSON by Content-Type with 415", async () => {
    await expectRefused(
      await postHubspot(body(), { headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("answers a body over 256 KiB with 413", async () => {
    const big = JSON.stringify([
      { ...dealStageEvent("7100100", "8200", "closedwon", 720003), pad: "x".repeat(256 * 1024) },
    ]);
    await expectRefused(await postHubspot(big), 413, "payload_too_large");
  });

  it("answers an oversized body streamed without Content-Length with 413", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await exports.default.fetch(URL_, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
    });
    await expectRefused(response, 413, "payload_too_large");
  });
});
