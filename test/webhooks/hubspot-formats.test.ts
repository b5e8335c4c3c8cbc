import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HubspotFake } from "../../emulators/hubspot";
import { normalizeHubspot } from "../../src/intake/dispatch-hubspot";
import { hubspotLeadId } from "../../src/leads/lead-id";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findWorkspace } from "../../src/settings/workspaces";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { LEAD_ANSWERED } from "../leads/lead-helpers";
import {
  connectWorkspace,
  count,
  dealStageEvent,
  type HubspotFixtureEvent,
  haltJourney,
  intakeTally,
  postHubspot,
  storedHubspotId,
  useWorld,
} from "../world";
import { genericStageChange, hubspotCreation } from "./hubspot-fixtures";

const world = useWorld();

afterEach(() => vi.restoreAllMocks());

async function storedRow(event: HubspotFixtureEvent) {
  return env.DB.prepare("SELECT * FROM webhook_events WHERE provider = 'hubspot' AND event_id = ?")
    .bind(await storedHubspotId(event))
    .first<{ outcome: string | null; journey_id: string | null; payload: string | null }>();
}

describe("HubSpot's generic (developer platform) event format", () => {
  it("a closed-won object.propertyChange on a deal (0-3) starts the journey, keeping who made the change", async () => {
    await connectWorkspace(env, "ws-hsf-won", "7300001");
    const journeyId = await onboardingJourneyId("ws-hsf-won", "8301");
    await using instance = await haltJourney(journeyId);
    const event = genericStageChange(7300001, 8301, "closedwon", 730001);

    const response = await postHubspot(JSON.stringify([event]));

    expect(await intakeTally(response)).toMatchObject({ received: 1, started: 1, ignored: 0, duplicates: 0 });
    expect(await findJourney(env.DB, journeyId)).toMatchObject({ workspaceId: "ws-hsf-won", dealId: "8301" });
    const row = await storedRow(event);
    expect(row).toMatchObject({ outcome: "started", journey_id: journeyId });
    expect(JSON.parse(row?.payload ?? "null")).toEqual({
      type: "hubspot.deal.won",
      dealId: "8301",
      changeSource: "CRM_UI",
      sourceId: "userId:90210",
    });
    await instance.waitForStatus("errored");
  });

  it("an object.creation of a contact (0-1) starts a lead, as contact.creation does", async () => {
    await connectWorkspace(env, "ws-hsf-lead", "7300002");
    world.hubspot.contacts.set("5601", { email: "ada@lead.test", firstname: "Ada", lastname: "King" });
    await using leads = await introspectWorkflow(env.JOURNEYS);

    const response = await postHubspot(JSON.stringify([hubspotCreation("generic", "contact", 7300002, 5601, 730002)]));

    expect(await intakeTally(response)).toMatchObject({ received: 1, dispatched: 1, ignored: 0 });
    await vi.waitFor(async () => expect((await leads.get()).length).toBe(1), { timeout: 4000 });
    for (const instance of await leads.get()) await instance.waitForStepResult(LEAD_ANSWERED);
    const lead = await findLead(env.DB, await hubspotLeadId("ws-hsf-lead", "5601"));
    expect(lead).toMatchObject({ source: "hubspot", email: "ada@lead.test", hubspotContactId: "5601" });
    expect(await findJourney(env.DB, lead?.id ?? "")).toMatchObject({ phase: "lead", contactId: "5601" });
  });

  it("normalizes both formats to the same events; other object types are not dispatched", async () => {
    await connectWorkspace(env, "ws-hsf-norm", "7300003");
    const workspace = await findWorkspace(env.DB, "ws-hsf-norm");
    if (!workspace) throw new Error("workspace connected above");
    const legacy = { objectId: "8303", propertyName: "dealstage", propertyValue: "closedwon" };
    const won = { type: "hubspot.deal.won", dealId: "8303" };
    expect(normalizeHubspot({ ...legacy, type: "deal.propertyChange" }, workspace)).toEqual(won);
    expect(normalizeHubspot({ ...legacy, type: "object.propertyChange", objectTypeId: "0-3" }, workspace)).toEqual(won);
    const moved = { objectId: "8303", propertyName: "dealstage", propertyValue: "qualified", occurredAt: 5 };
    expect(normalizeHubspot({ ...moved, type: "object.propertyChange", objectTypeId: "0-3" }, workspace)).toEqual(
      normalizeHubspot({ ...moved, type: "deal.propertyChange" }, workspace),
    );
    expect(normalizeHubspot({ objectId: "8303", type: "object.creation", objectTypeId: "0-3" }, workspace)).toEqual({
      type: "hubspot.deal.created",
      dealId: "8303",
    });
    expect(normalizeHubspot({ objectId: "5603", type: "object.creation", objectTypeId: "0-1" }, workspace)).toEqual({
      type: "hubspot.contact.created",
      contactId: "5603",
    });
    // A company (0-2) created, or a ticket's "dealstage"-named property: not ours.
    expect(normalizeHubspot({ objectId: "1", type: "object.creation", objectTypeId: "0-2" }, workspace).type).toBe(
      "hubspot.other",
    );
    expect(normalizeHubspot({ ...legacy, type: "object.propertyChange", objectTypeId: "0-5" }, workspace).type).toBe(
      "hubspot.other",
    );
  });
});

describe("dedupe when HubSpot repeats an eventId", () => {
  it("two different changes sharing one eventId both act", async () => {
    await connectWorkspace(env, "ws-hsf-same-id", "7300004");
    const first = await onboardingJourneyId("ws-hsf-same-id", "8304");
    const second = await onboardingJourneyId("ws-hsf-same-id", "8305");
    await using one = await haltJourney(first);
    await using two = await haltJourney(second);

    const response = await postHubspot(
      JSON.stringify([
        dealStageEvent("7300004", "8304", "closedwon", 730004),
        genericStageChange(7300004, 8305, "closedwon", 730004),
      ]),
    );

    expect(await intakeTally(response)).toMatchObject({ received: 2, started: 2, duplicates: 0 });
    expect(await findJourney(env.DB, first)).toMatchObject({ dealId: "8304" });
    expect(await findJourney(env.DB, second)).toMatchObject({ dealId: "8305" });
    expect(await count(env, "webhook_events", "workspace_id = ?", "ws-hsf-same-id")).toBe(2);
    await one.waitForStatus("errored");
    await two.waitForStatus("errored");
  });

  it("an exact redelivery (only attemptNumber grown) is one event", async () => {
    await connectWorkspace(env, "ws-hsf-redeliver", "7300005");
    const journeyId = await onboardingJourneyId("ws-hsf-redeliver", "8306");
    await using instance = await haltJourney(journeyId);
    const event = genericStageChange(7300005, 8306, "closedwon", 730006);

    const first = await postHubspot(JSON.stringify([event]));
    expect(await intakeTally(first)).toMatchObject({ received: 1, started: 1, duplicates: 0 });
    const again = await postHubspot(JSON.stringify([{ ...event, attemptNumber: 1 }]));

    expect(await intakeTally(again)).toMatchObject({ received: 1, started: 0, dispatched: 0, duplicates: 1 });
    expect(await count(env, "webhook_events", "workspace_id = ?", "ws-hsf-redeliver")).toBe(1);
    expect(await count(env, "journeys", "workspace_id = ?", "ws-hsf-redeliver")).toBe(1);
    await instance.waitForStatus("errored");
  });

  it("the same eventId and deal at another time is another change", async () => {
    await connectWorkspace(env, "ws-hsf-later", "7300006");
    const early = genericStageChange(7300006, 8307, "qualified", 730007, 1_900_000_000_000);
    const later = genericStageChange(7300006, 8307, "qualified", 730007, 1_900_000_060_000);

    const response = await postHubspot(JSON.stringify([early, later]));

    expect(await intakeTally(response)).toMatchObject({ received: 2, duplicates: 0, ignored: 2 });
    expect(await storedRow(early)).toMatchObject({ outcome: "ignored" });
    expect(await storedRow(later)).toMatchObject({ outcome: "ignored" });
  });
});

describe("the sandbox's HubSpot events", () => {
  it("get distinct eventIds however many are made in one millisecond", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_900_000_000_000);
    const hubspot = new HubspotFake("https://api.hubapi.test", "pat-sandbox");
    const ids = Array.from({ length: 5000 }, () => hubspot.nextEventId());

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
    // A sandbox restarted later starts past the 1,000 ids a millisecond the last run could make
    // (its Worker keeps its stored events).
    vi.spyOn(Date, "now").mockReturnValue(1_900_000_000_001);
    expect(new HubspotFake("https://api.hubapi.test", "pat-sandbox").nextEventId()).toBeGreaterThan(
      Math.max(...ids.slice(0, 1000)),
    );
  });
});
