import { env, exports } from "cloudflare:workers";
import { signWebhookPayload } from "@notionhq/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signNotionBody, verifyNotionSignature } from "../../integrations/notion/webhook-signature";
import { presetTemplate } from "../../src/engine/presets";
import { saveTemplate } from "../../src/engine/templates";
import { WebhookVerificationError } from "../../src/errors";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { startOnboarding } from "../../src/runtime/start-journey";
import { recordJourneyCard } from "../../src/store/journey-cards";
import { readNotionWebhookToken } from "../../src/store/notion-webhook-secrets";
import { connectWithNotionWorkspace, journeyWithCard, postHandshake, postNotion } from "../fulfillment/helpers";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { APP, captureLogs, count, postStripe, useWorld, watchJourney } from "../world";

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

/** A workspace whose subscription is set up: connected to `notionWorkspaceId`, handshake stored. */
async function subscribed(workspaceId: string, portalId: string, notionWorkspaceId: string, token = TOKEN) {
  await connectWithNotionWorkspace(env, workspaceId, portalId, notionWorkspaceId);
  expect((await postHandshake(world, workspaceId, token)).status).toBe(200);
}

describe("Notion signature (X-Notion-Signature)", () => {
  const body = JSON.stringify({ id: "evt", type: "page.properties_updated" });

  it("signs exactly like the Notion SDK's own signer", async () => {
    const ours = await signNotionBody(body, TOKEN);
    expect(ours["x-notion-signature"]).toBe(await signWebhookPayload({ body, verificationToken: TOKEN }));
  });

  it("returns the candidate whose token signed, and refuses other tokens, other bodies and malformed headers", async () => {
    const { "x-notion-signature": signature = "" } = await signNotionBody(body, TOKEN);
    const ours = { token: TOKEN };
    const other = { token: "secret_other" };
    expect(await verifyNotionSignature({ body, signature, candidates: [other, ours] })).toBe(ours);
    expect(
      await verifyNotionSignature({
        body,
        signature: signature.toUpperCase().replace("SHA256=", "sha256="),
        candidates: [ours],
      }),
    ).toBe(ours);
    const refusals = [
      { body, signature, candidates: [other] },
      { body: `${body} `, signature, candidates: [ours] },
      { body, signature: signature.replace("sha256=", ""), candidates: [ours] },
      { body, signature: null, candidates: [ours] },
      { body, signature, candidates: [] },
    ];
    for (const input of refusals) {
      await expect(verifyNotionSignature(input)).rejects.toBeInstanceOf(WebhookVerificationError);
    }
  });
});

describe("POST /webhooks/notion: verification handshake", () => {
  it("stores the verification token sealed for the workspace and answers 200 without echoing it", async () => {
    await connectWithNotionWorkspace(env, "ws-nw-hand", "7300001", notionWs(1));
    const response = await postHandshake(world, "ws-nw-hand");

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ received: true });
    expect(text).not.toContain(TOKEN);
    const row = await env.DB.prepare("SELECT * FROM notion_webhook_secrets WHERE workspace_id = ?")
      .bind("ws-nw-hand")
      .first<Record<string, unknown>>();
    expect(String(row?.verification_token)).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(row?.verified_at).toBeNull();
    expect(await readNotionWebhookToken(env.DB, env, "ws-nw-hand")).toEqual({ token: TOKEN, verified: false });
    expect(logs.some((line) => line.includes(TOKEN))).toBe(false);
  });

  it("answers 404 for a handshake naming no workspace or an unknown one, and stores nothing", async () => {
    const before = await count(env, "notion_webhook_secrets");
    const unnamed = await postNotion({
      body: world.notion.handshakeBody(),
      headers: { "content-type": "application/json" },
    });
    expect(unnamed.status).toBe(404);
    expect(await unnamed.json()).toMatchObject({ error: "unknown_tenant" });
    expect((await postHandshake(world, "ws-nw-nobody")).status).toBe(404);
    expect(await count(env, "notion_webhook_secrets")).toBe(before);
  });

  it("replaces a token no event has used yet, but not one that verified an event (409)", async () => {
    await connectWithNotionWorkspace(env, "ws-nw-again", "7300002", notionWs(2));
    await postHandshake(world, "ws-nw-again", "secret_first_subscription_token");
    expect((await postHandshake(world, "ws-nw-again")).status).toBe(200);
    expect((await readNotionWebhookToken(env.DB, env, "ws-nw-again"))?.token).toBe(TOKEN);

    const event = world.notion.event("page.content_updated", "page-0001", { workspaceId: notionWs(2) });
    expect((await postNotion(await world.notion.delivery(event))).status).toBe(200);
    expect(await readNotionWebhookToken(env.DB, env, "ws-nw-again")).toEqual({ token: TOKEN, verified: true });

    const takeover = await postHandshake(world, "ws-nw-again", "secret_attacker_token_0000");
    expect(takeover.status).toBe(409);
    expect(await takeover.json()).toMatchObject({ error: "subscription_exists" });
    expect((await readNotionWebhookToken(env.DB, env, "ws-nw-again"))?.token).toBe(TOKEN);
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
    expect(await response.json()).toEqual({ received: true, outcome: "signalled" });
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

    expect(await response.json()).toEqual({ received: true, outcome: "journey_finished" });
    expect(await eventRow(event.id)).toMatchObject({ outcome: "journey_finished", journey_id: journeyId });
  });

  it("records a change to a page that is no journey's card as unknown_journey and answers 200", async () => {
    await subscribed("ws-nw-stray", "7300012", notionWs(12));
    const event = world.notion.event("page.properties_updated", "7a7a7a7a-0000-4000-8000-000000000001", {
      workspaceId: notionWs(12),
    });
    const response = await postNotion(await world.notion.delivery(event));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "unknown_journey" });
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: "ws-nw-stray", outcome: "unknown_journey" });
  });

  it("records other event types as ignored", async () => {
    await subscribed("ws-nw-other", "7300013", notionWs(13));
    const { pageId } = await journeyWithCard(world, env, "ws-nw-other", "6103");
    const event = world.notion.event("page.content_updated", pageId, { workspaceId: notionWs(13) });
    expect(await (await postNotion(await world.notion.delivery(event))).json()).toEqual({
      received: true,
      outcome: "ignored",
    });
  });

  it("answers a redelivery of the same event (a later attempt) as a duplicate and keeps one row", async () => {
    await subscribed("ws-nw-dup", "7300014", notionWs(14));
    const { pageId } = await journeyWithCard(world, env, "ws-nw-dup", "6104");
    const event = world.notion.changeStatusAsUser(pageId, "In progress", { workspaceId: notionWs(14) });

    const first = await postNotion(await world.notion.delivery(event));
    expect(await first.json()).toMatchObject({ outcome: "journey_finished" });
    const retried = await postNotion(await world.notion.delivery({ ...event, attempt_number: 2 }));

    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ received: true, outcome: "duplicate" });
    expect(await count(env, "webhook_events", "provider = 'notion' AND event_id = ?", event.id)).toBe(1);
  });

  it("routes to the workspace whose token signed when two workspaces share a Notion workspace", async () => {
    await subscribed("ws-nw-share-a", "7300015", notionWs(15), "secret_token_of_workspace_a");
    await subscribed("ws-nw-share-b", "7300016", notionWs(15), "secret_token_of_workspace_b");
    const event = world.notion.event("page.content_updated", "page-0002", { workspaceId: notionWs(15) });
    const response = await postNotion(await world.notion.delivery(event, "secret_token_of_workspace_b"));

    expect(response.status).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ workspace_id: "ws-nw-share-b", outcome: "ignored" });
    expect((await readNotionWebhookToken(env.DB, env, "ws-nw-share-a"))?.verified).toBe(false);
    expect((await readNotionWebhookToken(env.DB, env, "ws-nw-share-b"))?.verified).toBe(true);
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

  it("refuses events for a connected workspace that has no verification token yet", async () => {
    await connectWithNotionWorkspace(env, "ws-nw-untokened", "7300101", notionWs(101));
    const pending = world.notion.event("page.properties_updated", "page-0101", { workspaceId: notionWs(101) });
    await expectRefused(await postNotion(await world.notion.delivery(pending)), 401, "invalid_signature");
    expect(loggedReason("no verification token stored")).toBe(true);
  });

  it("answers 404 for a Notion workspace no workspace is connected to", async () => {
    const stray = world.notion.event("page.properties_updated", "page-0102", { workspaceId: notionWs(199) });
    await expectRefused(await postNotion(await world.notion.delivery(stray)), 404, "unknown_tenant");
  });

  it("answers 404 when the URL names a workspace other than the one connected", async () => {
    await expectRefused(
      await postNotion(await world.notion.delivery(event()), "?workspace=ws-nw-someone-else"),
      404,
      "unknown_tenant",
    );
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
