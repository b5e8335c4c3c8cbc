import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { API_FORMS_SCRIPT } from "../../src/dashboard/api-forms";
import { REPLAY_WORDS } from "../../src/dashboard/events/events-page";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findOwner } from "../../src/store/owners";
import { Browser, location, signIn } from "../browser";
import { connectWithNotionWorkspace, postHandshake, postNotion } from "../fulfillment/helpers";
import {
  count,
  dealStageEvent,
  haltJourney,
  intakeOutcomes,
  intakeTally,
  postHubspot,
  postStripe,
  useWorld,
} from "../world";

const world = useWorld();

const PORTAL = "7700001";
const NOTION_WS = "5e1f0c2a-0000-4000-8000-000000077001";

interface Row {
  id: number;
  outcome: string | null;
  journey_id: string | null;
  payload: string | null;
  replay_outcome: string | null;
  replay_count: number;
}
/** The row of a provider's event id (HubSpot's are stored as `<eventId>-<digest of the change>`). */
const row = (provider: string, eventId: string) =>
  env.DB.prepare("SELECT * FROM webhook_events WHERE provider = ? AND (event_id = ? OR event_id LIKE ?)")
    .bind(provider, eventId, provider === "hubspot" ? `${eventId}-%` : eventId)
    .first<Row>();

/**
 * Introspects a deal's journey before it is created and fails its first step,
 * so the instance never reaches a provider: the journey row and the answers
 * are what these tests are about.
 */
async function haltedJourney(workspaceId: string, dealId: string) {
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  return { journeyId, instance: await haltJourney(journeyId) };
}

let owner: { browser: Browser; csrf: string; workspaceId: string };
let other: { browser: Browser; csrf: string; workspaceId: string };

async function signedIn(sub: string) {
  const session = await signIn(world, { sub, email: `${sub}@studio.test` });
  return { ...session, workspaceId: (await findOwner(env.DB, sub))?.workspaceId ?? "" };
}

const api = (path: string, init: RequestInit = {}) => owner.browser.fetch(path, init);
const replay = (id: number | string, who = owner) =>
  who.browser.fetch(`/api/events/${id}/replay`, { method: "POST", headers: { "x-csrf-token": who.csrf } });

beforeAll(async () => {
  owner = await signedIn("events-owner");
  other = await signedIn("events-other");
  await connectWithNotionWorkspace(env, owner.workspaceId, PORTAL, NOTION_WS);
  expect((await postHandshake(world)).status).toBe(200);
});

describe("receivers store the normalized event (ids only) for replay", () => {
  it("HubSpot, Stripe and Notion each store what they dispatched", async () => {
    const { instance } = await haltedJourney(owner.workspaceId, "8801");
    await using _ = instance;
    const hubspot = await postHubspot(
      JSON.stringify([
        dealStageEvent(PORTAL, "8801", "closedwon", 770001),
        dealStageEvent(PORTAL, "8802", "appointmentscheduled", 770002),
      ]),
    );
    expect(await intakeTally(hubspot)).toMatchObject({ received: 2, started: 1, ignored: 1 });
    expect(JSON.parse((await row("hubspot", "770001"))?.payload ?? "null")).toEqual({
      type: "hubspot.deal.won",
      dealId: "8801",
      changeSource: "CRM",
      sourceId: "userId:4711",
    });
    expect(JSON.parse((await row("hubspot", "770002"))?.payload ?? "null")).toMatchObject({
      type: "hubspot.deal.stage_changed",
      dealId: "8802",
      stage: "appointmentscheduled",
    });
    await instance.waitForStatus("errored");

    const paid = world.stripe.event("invoice.paid", {
      id: "in_77001",
      object: "invoice",
      customer_email: "client@example.com",
      customer_name: "Grace Client",
      metadata: { clientflow_workspace_id: owner.workspaceId, clientflow_journey_id: "onb-nobody" },
      status_transitions: { paid_at: 1_900_000_000 },
    });
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["unknown_journey"]);
    const stored = (await row("stripe", paid.id))?.payload ?? "";
    expect(JSON.parse(stored)).toEqual({
      type: "stripe.invoice.paid",
      invoiceId: "in_77001",
      journeyId: "onb-nobody",
      paidAt: new Date(1_900_000_000_000).toISOString(),
    });
    expect(stored).not.toContain("client@example.com");
    expect(stored).not.toContain("Grace");

    const event = world.notion.event("page.content_updated", "page-77001", { workspaceId: NOTION_WS });
    expect((await postNotion(await world.notion.delivery(event))).status).toBe(200);
    expect(JSON.parse((await row("notion", event.id))?.payload ?? "null")).toEqual({
      type: "notion.event",
      notionType: "page.content_updated",
      entityId: "page-77001",
      entityType: "page",
    });
  });
});

describe("GET /api/events", () => {
  it("lists this workspace's events newest first, filters by provider and outcome, and pages with a cursor", async () => {
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8810", "appointmentscheduled", 770010)]));
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8811", "appointmentscheduled", 770011)]));
    type Page = { events: { eventId: string; provider: string; outcome: string }[]; nextCursor: string | null };
    const all = (await (await api("/api/events")).json()) as Page;
    const ids = all.events.map((e) => e.eventId);
    expect(ids.indexOf("770011")).toBeLessThan(ids.indexOf("770010"));
    expect(all.events.every((e) => ["hubspot", "stripe", "notion"].includes(e.provider))).toBe(true);

    const stripe = (await (await api("/api/events?provider=stripe")).json()) as Page;
    expect(stripe.events.length).toBeGreaterThan(0);
    expect(stripe.events.every((e) => e.provider === "stripe")).toBe(true);
    const ignored = (await (await api("/api/events?outcome=ignored")).json()) as Page;
    expect(ignored.events.map((e) => e.eventId)).toEqual(expect.arrayContaining(["770010", "770011"]));
    expect(ignored.events.every((e) => e.outcome === "ignored")).toBe(true);

    const first = (await (await api("/api/events?provider=hubspot&limit=1")).json()) as Page;
    expect(first.events.map((e) => e.eventId)).toEqual(["770011"]);
    const second = (await (
      await api(`/api/events?provider=hubspot&limit=1&cursor=${first.nextCursor}`)
    ).json()) as Page;
    expect(second.events.map((e) => e.eventId)).toEqual(["770010"]);

    const foreign = (await (await other.browser.fetch("/api/events")).json()) as Page;
    expect(foreign.events).toEqual([]);
    expect((await api("/api/events?provider=gmail")).status).toBe(400);
    expect((await api("/api/events?limit=0")).status).toBe(400);
    expect((await new Browser().fetch("/api/events")).status).toBe(401);
  });
});

describe("POST /api/events/:id/replay", () => {
  it("starts a won deal's journey that never started, then reports duplicate and starts nothing", async () => {
    // Recorded on delivery, but its dispatch never ran (a crash between the two writes).
    await env.DB.prepare(
      `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, payload)
       VALUES ('hubspot', ?, '770020', 'deal.propertyChange', ?)`,
    )
      .bind(owner.workspaceId, JSON.stringify({ type: "hubspot.deal.won", dealId: "8820" }))
      .run();
    const stored = await row("hubspot", "770020");
    const { journeyId, instance } = await haltedJourney(owner.workspaceId, "8820");
    await using _ = instance;

    const first = await replay(stored?.id ?? 0);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: stored?.id, outcome: "started", journeyId });
    expect(await count(env, "journeys", "workspace_id = ? AND deal_id = '8820'", owner.workspaceId)).toBe(1);
    await instance.waitForStatus("errored");

    const again = await replay(stored?.id ?? 0);
    expect(await again.json()).toMatchObject({ outcome: "duplicate_deal", journeyId });
    expect(await count(env, "journeys", "workspace_id = ? AND deal_id = '8820'", owner.workspaceId)).toBe(1);
    expect(await row("hubspot", "770020")).toMatchObject({
      outcome: null,
      journey_id: journeyId,
      replay_outcome: "duplicate_deal",
      replay_count: 2,
    });
  });

  it("replays a delivered won deal as a duplicate: the delivery's outcome stays", async () => {
    const { journeyId, instance } = await haltedJourney(owner.workspaceId, "8830");
    await using _ = instance;
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8830", "closedwon", 770030)]));
    await instance.waitForStatus("errored");
    const stored = await row("hubspot", "770030");
    expect(await (await replay(stored?.id ?? 0)).json()).toMatchObject({ outcome: "duplicate_deal", journeyId });
    expect(await row("hubspot", "770030")).toMatchObject({ outcome: "started", replay_outcome: "duplicate_deal" });
    expect(await count(env, "journeys", "deal_id = '8830'")).toBe(1);
  });

  it("routes each provider's stored event to its dispatch: nothing to do is reported again, not invented", async () => {
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8840", "appointmentscheduled", 770041)]));
    const stage = await row("hubspot", "770041");
    expect(await (await replay(stage?.id ?? 0)).json()).toMatchObject({ outcome: "ignored", journeyId: null });
    const paid = world.stripe.event("invoice.paid", {
      id: "in_77041",
      object: "invoice",
      metadata: { clientflow_workspace_id: owner.workspaceId, clientflow_journey_id: "onb-missing" },
    });
    await postStripe(paid);
    const stripe = await row("stripe", paid.id);
    expect(await (await replay(stripe?.id ?? 0)).json()).toMatchObject({ outcome: "unknown_journey" });
    expect(await row("stripe", paid.id)).toMatchObject({ outcome: "unknown_journey", replay_count: 1 });
  });

  it("404 for an unknown or another workspace's event, 409 without a stored payload, 401 / 403 without session or CSRF", async () => {
    await env.DB.prepare(
      `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, processed_at)
       VALUES ('hubspot', ?, '770040', 'deal.propertyChange', 'started', '2026-01-01T00:00:00.000Z')`,
    )
      .bind(owner.workspaceId)
      .run();
    const old = await row("hubspot", "770040");

    const unknown = await replay(99_999_999);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "unknown_event" });
    expect((await replay(old?.id ?? 0, other)).status).toBe(404);
    expect((await replay("abc")).status).toBe(400);

    const tooOld = await replay(old?.id ?? 0);
    expect(tooOld.status).toBe(409);
    expect((await tooOld.json()) as { message: string }).toMatchObject({
      error: "not_replayable",
      message: expect.stringContaining("recorded before replay was possible"),
    });

    const anonymous = await new Browser().fetch(`/api/events/${old?.id}/replay`, { method: "POST" });
    expect(anonymous.status).toBe(401);
    const noCsrf = await owner.browser.fetch(`/api/events/${old?.id}/replay`, { method: "POST" });
    expect(noCsrf.status).toBe(403);
    expect(await row("hubspot", "770040")).toMatchObject({ replay_count: 0 });
  });
});

describe("the /events page", () => {
  it("shows events with outcome, journey link and Replay, filters as links; Replay redirects back with a notice", async () => {
    const { journeyId, instance } = await haltedJourney(owner.workspaceId, "8850");
    await using _ = instance;
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8850", "closedwon", 770050)]));
    await instance.waitForStatus("errored");
    const stored = await row("hubspot", "770050");

    const page = await owner.browser.fetch("/events?provider=hubspot");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('aria-current="page">Events');
    expect(html).toContain("770050");
    expect(html).toContain("hubspot.deal.won");
    expect(html).toContain('class="badge badge-ok">started');
    expect(html).toContain(`href="/journeys/${journeyId}"`);
    expect(html).toContain(`action="/events/${stored?.id}/replay"`);
    expect(html).toContain('href="/events?provider=hubspot&amp;outcome=ignored"');

    const replayed = await owner.browser.post(`/events/${stored?.id}/replay`, { provider: "hubspot" }, owner.csrf);
    expect(replayed.status).toBe(303);
    expect(location(replayed)).toBe(`/events?provider=hubspot&replayed=${stored?.id}&result=duplicate_deal`);
    const after = await (await owner.browser.fetch(location(replayed))).text();
    expect(after).toContain("the journey already exists; nothing was started again");
    expect(after).toContain("Replayed: duplicate deal");

    const forged = await owner.browser.post(`/events/${stored?.id}/replay`, {}, "wrong-token");
    expect(forged.status).toBe(403);
    const foreign = await other.browser.post(`/events/${stored?.id}/replay`, {}, other.csrf);
    expect(location(foreign)).toBe(`/events?replayed=${stored?.id}&replay_error=unknown_event`);
    expect((await new Browser().fetch("/events")).status).toBe(302);
  });

  it("each Replay form names its /api route, row and notice; that route answers with the CSRF header", async () => {
    await postHubspot(JSON.stringify([dealStageEvent(PORTAL, "8860", "appointmentscheduled", 770060)]));
    const stored = await row("hubspot", "770060");
    const id = stored?.id ?? 0;
    const html = await (await owner.browser.fetch("/events?provider=hubspot")).text();
    const form = html.match(new RegExp(`<form method="post" action="/events/${id}/replay"[^>]*>`))?.[0] ?? "";
    expect(form).toContain(`data-api="POST /api/events/${id}/replay"`);
    expect(form).toContain(`data-api-done="Event #${id} replayed: {outcome}"`);
    expect(form).toContain(`data-api-refresh="event-${id}"`);
    expect(html).toContain(`<tr id="event-${id}">`);
    expect(html).toContain(`<script>${API_FORMS_SCRIPT}</script>`);
    // The notice region says the outcomes in the page route's words.
    const words = html.match(/<div aria-live="polite" data-api-notice="" data-api-words="([^"]*)">/)?.[1] ?? "";
    expect(JSON.parse(words.replaceAll("&quot;", '"'))).toEqual({ outcome: REPLAY_WORDS });
    expect(REPLAY_WORDS.duplicate_deal).toBe("the journey already exists; nothing was started again.");

    const [method, path] = (form.match(/data-api="([^"]*)"/)?.[1] ?? "").split(" ");
    const answer = await owner.browser.fetch(path ?? "", { method, headers: { "x-csrf-token": owner.csrf } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ id, outcome: "ignored", journeyId: null });
    const after = await (await owner.browser.fetch("/events?provider=hubspot")).text();
    const rowHtml = after.match(new RegExp(`<tr id="event-${id}">[\\s\\S]*?</tr>`))?.[0] ?? "";
    expect(rowHtml).toContain("Replayed: ignored");
  });

  it("explains how webhooks arrive when there are none yet", async () => {
    const html = await (await other.browser.fetch("/events")).text();
    expect(html).toContain("No webhook events yet");
    expect(html).toContain("https://clientflow.test/webhooks/hubspot");
    expect(html).toContain("https://clientflow.test/webhooks/stripe");
    expect(html).toContain("https://clientflow.test/webhooks/notion<");
    expect(html).not.toContain("?workspace=");
    // No Replay form, so no script for one.
    expect(html).not.toContain("<script>");
  });
});
