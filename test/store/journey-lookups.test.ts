import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { followUpJourneysOfContacts, journeysOfDeals, pausedJourneysFor } from "../../src/store/journey-lookups";
import {
  findJourney,
  insertJourney,
  type JourneyFields,
  type JourneyWorkflow,
  markJourneyFailed,
  pinJourneyTemplate,
  updateJourney,
} from "../../src/store/journeys";
import { writeWorkspace } from "../../src/store/workspaces";

const WS = "ws-journey-lookups";
const OTHER = "ws-journey-lookups-other";

async function journey(
  id: string,
  dealId: string,
  fields: JourneyFields = {},
  workflow: JourneyWorkflow = "process",
  workspaceId = WS,
) {
  await insertJourney(env.DB, { id, workspaceId, dealId, workflow });
  await updateJourney(env.DB, id, fields);
}

beforeAll(async () => {
  await writeWorkspace(env.DB, { id: WS, name: "Lookups", settings: {} });
  await writeWorkspace(env.DB, { id: OTHER, name: "Other", settings: {} });
});

describe("journey lookups", () => {
  it("finds journeys by deal, across chunks of the bound-parameter limit, in one workspace only", async () => {
    const deals = Array.from({ length: 95 }, (_, i) => `deal-many-${i}`);
    for (const [i, deal] of deals.entries()) await journey(`j-many-${i}`, deal);
    await journey("j-other-ws", "deal-many-3", {}, "process", OTHER);
    const found = await journeysOfDeals(env.DB, WS, [...deals, "deal-unknown", "deal-many-3"]);
    expect(found.size).toBe(95);
    expect(found.get("deal-many-3")).toBe("j-many-3");
    expect(found.get("deal-many-94")).toBe("j-many-94");
  });

  it("lists the live follow-up journeys of the contacts, except the new deal's own", async () => {
    await journey("j-fu-live", "deal-fu-1", { contactId: "c-1", phase: "follow_up", status: "waiting" });
    await journey("j-fu-running", "deal-fu-2", { contactId: "c-2", phase: "follow_up", status: "running" });
    await journey("j-fu-done", "deal-fu-3", { contactId: "c-1", phase: "follow_up", status: "complete" });
    await journey("j-fu-onboarding", "deal-fu-4", { contactId: "c-1", phase: "onboarding", status: "running" });
    await journey("j-fu-new", "deal-fu-new", { contactId: "c-1", phase: "follow_up", status: "running" });
    await journey(
      "j-fu-elsewhere",
      "deal-fu-5",
      { contactId: "c-1", phase: "follow_up", status: "running" },
      "process",
      OTHER,
    );
    const ids = await followUpJourneysOfContacts(env.DB, WS, "deal-fu-new", ["c-1", "c-2", "c-3"]);
    expect(ids.map((j) => j.id).sort()).toEqual(["j-fu-live", "j-fu-running"]);
    expect(await followUpJourneysOfContacts(env.DB, WS, "deal-fu-new", [])).toEqual([]);
  });

  it("lists the journeys paused on a provider, with what it takes to signal them", async () => {
    await journey("j-paused-google", "deal-p-1", { status: "paused", pausedFor: "google" });
    await journey("j-paused-hubspot", "deal-p-2", { status: "paused", pausedFor: "hubspot" });
    await journey("j-paused-owner", "deal-p-3", { status: "paused", pausedFor: "owner" });
    expect(await pausedJourneysFor(env.DB, WS, "google")).toEqual([
      { id: "j-paused-google", workflowInstanceId: "j-paused-google" },
    ]);
    expect(await pausedJourneysFor(env.DB, OTHER, "google")).toEqual([]);
  });
});

describe("journey writes for the engine", () => {
  it("marks a journey failed unless the owner cancelled or paused it", async () => {
    await journey("j-fail-running", "deal-f-1", { status: "paused", pausedFor: "google" });
    await journey("j-fail-cancelled", "deal-f-2", { status: "cancelled" });
    await journey("j-fail-owner", "deal-f-3", { status: "paused", pausedFor: "owner" });
    for (const id of ["j-fail-running", "j-fail-cancelled", "j-fail-owner"]) await markJourneyFailed(env.DB, id);
    expect(await findJourney(env.DB, "j-fail-running")).toMatchObject({ status: "failed", pausedFor: null });
    expect(await findJourney(env.DB, "j-fail-cancelled")).toMatchObject({ status: "cancelled" });
    expect(await findJourney(env.DB, "j-fail-owner")).toMatchObject({ status: "paused", pausedFor: "owner" });
  });

  it("pins the template version a journey runs", async () => {
    await journey("j-pin", "deal-pin");
    await pinJourneyTemplate(env.DB, "j-pin", "retainer", 3);
    expect((await findJourney(env.DB, "j-pin"))?.templateVersion).toBe(3);
    const row = await env.DB.prepare("SELECT template_id FROM journeys WHERE id = ?")
      .bind("j-pin")
      .first<{ template_id: string }>();
    expect(row?.template_id).toBe("retainer");
  });
});
