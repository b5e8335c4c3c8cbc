import { env, exports } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { presetTemplate } from "../../src/engine/presets";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { startOnboarding } from "../../src/runtime/start-journey";
import { recordJourneyCard } from "../../src/store/journey-cards";
import { listPendingNotionTokens, PENDING_KEPT } from "../../src/store/notion-platform-tokens";
import { connectWithNotionWorkspace, journeyWithCard, postHandshake, postNotion } from "../fulfillment/helpers";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { APP, captureLogs, count, intakeOutcomes, postStripe, useWorld, watchJourney } from "../world";

const world = useWorld();
const logs = captureLogs();
const loggedReason = (reason: string) => logs.some((line) => line.includes(`"reason":"${reason}"`));
const TOKEN = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";

/** A Notion workspace id per test, so routing never crosses tests. */
const notionWs = (n: number) => `5e1f0c2a-0000-4000-8000-${String(n).padStart(12, "0")}`;

async function eventRow(eventId: string) {
  return env.DB.prepare("SELECT * FROM webhook_events WHERE provider = 'notion' AND event_id = ?")
    .bind(eventId)
    .first<{ workspace_id: string; outcome: string | null; journey_id: string | null; processed_at: string | null }>();
}

/**
 * A workspace connected to `notionWorkspaceId`: the public integration's
 * subscription needs nothing per workspace (the test bindings set
 * NOTION_WEBHOOK_VERIFICATION_TOKEN to the emulator's token).
 */
async function subscribed(workspaceId: string, portalId: string, notionWorkspaceId: string) {
  await connectWithNotionWorkspace(env, workspaceId, portalId, notionWorkspaceId);
}

describe("POST /webhooks/notion: the public integration's handshake", () => {
  const PLANTED = "secret_planted_by_someone_else_0000";
  const confirmedRows = () => count(env, "notion_platform_tokens", "confirmed_at IS NOT NULL");

  it("keeps the token sealed as a pending candidate and answers 200 without echoing it", async () => {
    const response = await postHandshake(world, "secret_pending_candidate_token_01");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ received: true });
    expect(text).not.toContain("secret_pending_candidate_token_01");
    const rows = await env.DB.prepare("SELECT * FROM notion_platform_tokens").all<Record<string, unknown>>();
    expect(JSON.stringify(rows.results)).not.toContain("secret_pending_candidate_token_01");
    expect(rows.results.every((row) => String(row.verification_token).startsWith("v1."))).toBe(true);
    expect((await listPendingNotionTokens(env.DB, env)).map((p) => p.token)).toContain(
      "secret_pending_candidate_token_01",
    );
    expect(logs.some((line) => line.includes("secret_pending_candidate_token_01"))).toBe(false);
  });

  it.each([
    ["at /webhooks/notion", ""],
    ["with the old ?workspace=", "?workspace=ws-nw-planted"],
  ])("a planted handshake %s confirms nothing, and events signed with it are refused (401)", async (_n, suffix) => {
    await connectWithNotionWorkspace(env, "ws-nw-planted", "7300003", notionWs(3));
    const before = await confirmedRows();
    expect((await postHandshake(world, PLANTED, suffix)).status).toBe(200);
    expect(await confirmedRows()).toBe(before);

    const forged = world.notion.event("page.properties_updated", "page-0003", { workspaceId: notionWs(3) });
    const response = await postNotion(await world.notion.delivery(forged, PLANTED), suffix);
    expect(response.status).toBe(401);
    expect(await count(env, "webhook_events", "provider = 'notion' AND event_id = ?", forged.id)).toBe(0);
    // The real subscription still works.
    const real = world.notion.event("page.properties_updated", "page-0003", { workspaceId: notionWs(3) });
    expect((await postNotion(await world.notion.delivery(real), suffix)).status).toBe(200);
  });

  it(`keeps only the ${PENDING_KEPT} newest pending candidates`, async () => {
    for (let i = 0; i < PENDING_KEPT + 3; i++) await postHandshake(world, `secret_flood_candidate_${i}`);
    const pending = await listPendingNotionTokens(env.DB, env);
    expect(pending).toHaveLength(PENDING_KEPT);
    expect(pending[0]?.token).toBe(`secret_flood_candidate_${PENDING_KEPT + 2}`);
    expect(pending.map((p) => p.token)).not.toContain("secret_flood_candidate_0");
  });
});

describe("POST /webhooks/notion: signed events", () => {
  it("records a card's status change and signals its running journey (a real Workflow instance)", async () => {
    const [ws, portal, deal] = ["ws-nw-live", "7300010", "6101"];
    await subscribed(ws, portal, notionWs(10));
    await saveTemplate(env.DB, ws, presetTemplate("onboarding"), "test");
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    expect((await startOnboarding(env, ws, deal)).outcome).toBe("started");
    await instance.waitForStepResult({ name: "onboarding.payment.await" });
    const [card] = sideEffects(world, journeyId, email).cards;
    if (!card) throw new Error("the journey made no card");
    await recordJourneyCard(env.DB, journeyId, card.id);

    const event = world.notion.changeStatusAsUser(card.id, "In progress", { workspaceId: notionWs(10) });
    const response = await postNotion(await world.notion.delivery(event));

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["signalled"]);
    expect(await eventRow(event.id)).toMatchObject({
      workspace_id: ws,
      outcome: "signalled",
      journey_id: journeyId,
      processed_at: expect.any(String),
    });
    // No Notion call on the request path: the journey re-reads the page in its own step.
    expect(world.notion.requests.matching("GET", `/v1/pages/${card.id}`)).toHaveLength(0);

    // The buffered event does not disturb the journey: payment still completes it.
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    if (!invoice) throw new Error("the journey made no invoice");
    await postStripe(world.stripe.event("invoice.paid", world.stripe.pay(invoice.id)));
    await instance.waitForStatus("complete");
  });

  it("answers 200 journey_finished for a journey whose Workflow no longer runs", async () => {
    await subscribed("ws-nw-gone", "7300011", notionWs(11));
    const { journeyId, pageId } = await journeyWithCard(world, env, "ws-nw-gone", "6102");
    const event = world.notion.changeStatusAsUser(pageId, "Done", { workspaceId: notionWs(11) });
    const response = await postNotion(await world.notion.delivery(event));

    expect(await intakeOutcomes(response)).toEqual(["journey_finished"]);
    expect(await eventRow(event.id)).toMatchObject({ outcome: "journey_finished", journey_id: journeyId });
  });

  it("records a change to a page that is no journey's card as unknown_journey and answers 200", async () => {
    await subscribed("ws-nw-stray", "7300012", notionWs(12));
    const event = world.notion.event("page.properties_updated", "7a7a7a7a-0000-4000-8000-000000000001", {
      workspaceId: notionWs(12),
    });
    const response = await postNotion(await world.notion.delivery(event));

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["unknown_journey"]);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: "ws-nw-stray", outcome: "unknown_journey" });
  });

  it("records other event types as ignored", async () => {
    await subscribed("ws-nw-other", "7300013", notionWs(13));
    const { pageId } = await journeyWithCard(world, env, "ws-nw-other", "6103");
    const event = world.notion.event("page.content_updated", pageId, { workspaceId: notionWs(13) });
    expect(await intakeOutcomes(await postNotion(await world.notion.delivery(event)))).toEqual(["ignored"]);
  });

  it("answers a redelivery of the same event (a later attempt) as a duplicate and keeps one row", async () => {
    await subscribed("ws-nw-dup", "7300014", notionWs(14));
    const { pageId } = await journeyWithCard(world, env, "ws-nw-dup", "6104");
    const event = world.notion.changeStatusAsUser(pageId, "In progress", { workspaceId: notionWs(14) });

    const first = await postNotion(await world.notion.delivery(event));
    expect(await intakeOutcomes(first)).toEqual(["journey_finished"]);
    const retried = await postNotion(await world.notion.delivery({ ...event, attempt_number: 2 }));

    expect(retried.status).toBe(200);
    expect(await intakeOutcomes(retried)).toEqual(["duplicate"]);
    expect(await count(env, "webhook_events", "provider = 'notion' AND event_id = ?", event.id)).toBe(1);
  });

  it("gives each workspace connected to the event's Notion workspace its own intake item", async () => {
    await subscribed("ws-nw-share-a", "7300015", notionWs(15));
    await subscribed("ws-nw-share-b", "7300016", notionWs(15));
    const event = world.notion.event("page.content_updated", "page-0002", { workspaceId: notionWs(15) });
    const response = await postNotion(await world.notion.delivery(event));

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["ignored", "ignored"]);
    const rows = await env.DB.prepare(
      "SELECT workspace_id FROM webhook_events WHERE provider = 'notion' AND event_id = ? ORDER BY workspace_id",
    )
      .bind(event.id)
      .all<{ workspace_id: string }>();
    expect(rows.results.map((r) => r.workspace_id)).toEqual(["ws-nw-share-a", "ws-nw-share-b"]);
  });

  it("records and acknowledges (200) a signed event for a Notion workspace nobody connected, routing it nowhere", async () => {
    await subscribed("ws-nw-elsewhere", "7300017", notionWs(17));
    const stray = world.notion.event("page.properties_updated", "page-0018", { workspaceId: notionWs(18) });
    const response = await postNotion(await world.notion.delivery(stray));

    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["unknown_tenant"]);
    expect(await eventRow(stray.id)).toMatchObject({ workspace_id: "", outcome: "unknown_tenant", journey_id: null });
    expect(await count(env, "webhook_events", "workspace_id = 'ws-nw-elsewhere'")).toBe(0);
  });
});

describe("POST /webhooks/notion: refused deliveries store nothing", () => {
  const NWS = notionWs(100);
  const event = () => world.notion.event("page.properties_updated", "page-0100", { workspaceId: NWS });
  const stored = () => count(env, "webhook_events", "provider = 'notion'");

  async function expectRefused(response: Response, status: number, error: string) {
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error });
    expect(await stored()).toBe(0);
  }

  beforeAll(async () => {
    await subscribed("ws-nw-refused", "7300100", NWS);
  });
  beforeEach(async () => {
    await env.DB.prepare("DELETE FROM webhook_events WHERE provider = 'notion'").run();
  });

  it("answers a signature made with another token with a generic 401 and logs the reason", async () => {
    const response = await postNotion(await world.notion.delivery(event(), "secret_not_the_token"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "invalid_signature",
      message: "Webhook signature verification failed",
    });
    expect(await stored()).toBe(0);
    expect(loggedReason("signature mismatch")).toBe(true);
  });

  it("refuses an unsigned event", async () => {
    const body = JSON.stringify(event());
    await expectRefused(
      await postNotion({ body, headers: { "content-type": "application/json" } }),
      401,
      "invalid_signature",
    );
    expect(loggedReason("missing signature header")).toBe(true);
  });

  it("refuses a body other than the one that was signed", async () => {
    const signed = await world.notion.delivery(event());
    const tampered = signed.body.replace("page-0100", "page-0999");
    await expectRefused(await postNotion({ ...signed, body: tampered }), 401, "invalid_signature");
  });

  it.each([
    ["malformed JSON", () => '{"id": "evt",'],
    ["JSON without a workspace_id", () => JSON.stringify({ id: "evt", type: "page.created" })],
    ["an event without its entity", () => JSON.stringify({ ...event(), entity: undefined })],
    ["a handshake with extra fields", () => JSON.stringify({ verification_token: TOKEN, note: "x" })],
  ])("answers %s (signed) with 400", async (_name, make) => {
    await expectRefused(await postNotion(await world.notion.delivery(make())), 400, "invalid_request");
  });

  it("answers a body that is not JSON by Content-Type with 415", async () => {
    const signed = await world.notion.delivery(event());
    await expectRefused(
      await postNotion({ ...signed, headers: { ...signed.headers, "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("answers a body over 64 KiB with 413, declared or streamed", async () => {
    const big = await world.notion.delivery({ ...event(), data: { pad: "x".repeat(64 * 1024) } });
    await expectRefused(await postNotion(big), 413, "payload_too_large");

    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await exports.default.fetch(`${APP}/webhooks/notion`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
    });
    await expectRefused(streamed, 413, "payload_too_large");
  });
});
