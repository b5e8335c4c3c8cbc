import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { syncFromHubspot, syncFromNotion } from "../../src/fulfillment/sync";
import { saveStatusMapping } from "../../src/settings/status-mapping";
import { findJourneyCard } from "../../src/store/journey-cards";
import { loadSyncState, SyncConflictError, saveSyncState } from "../../src/store/sync-state";
import { captureLogs, HUBSPOT_TOKEN, NOTION_TOKEN, useWorld } from "../world";
import { connectWithNotionWorkspace, journeyWithCard, postHandshake, postNotion } from "./helpers";

const world = useWorld();
const logs = captureLogs();

/** A delivery pipeline's stages (custom pipelines have numeric stage ids). */
const STAGE = { kickoff: "1052770980", delivery: "1052770981", delivered: "1052770982" };
const MAPPING = {
  statuses: [
    { status: "Onboarding", dealStage: STAGE.kickoff },
    { status: "In progress", dealStage: STAGE.delivery, milestone: "project-started" },
    { status: "Done", dealStage: STAGE.delivered, milestone: "project-delivered" },
  ],
};

let n = 0;
/** A fresh workspace (own portal, own Notion workspace) with a journey and its card, mapping saved. */
async function setup(mapping: unknown = MAPPING) {
  n += 1;
  const workspaceId = `ws-sync-${n}`;
  const dealId = String(6200 + n);
  await connectWithNotionWorkspace(env, workspaceId, String(7400000 + n), `5e1f0c2a-0000-4000-9000-00000000${n}`);
  if (mapping) await saveStatusMapping(env.DB, workspaceId, mapping);
  const { journeyId, pageId } = await journeyWithCard(world, env, workspaceId, dealId);
  world.hubspot.requests.clear();
  world.notion.requests.clear();
  return { workspaceId, journeyId, pageId, dealId };
}

const hubspotPatches = () => world.hubspot.requests.matching("PATCH", /^\/crm\/v3\/objects\/deals\//);
const notionPatches = () => world.notion.requests.matching("PATCH", /^\/v1\/pages\//);

async function syncStateRow(journeyId: string) {
  return env.DB.prepare("SELECT * FROM sync_state WHERE journey_id = ?")
    .bind(journeyId)
    .first<Record<string, unknown>>();
}

describe("Notion → HubSpot", () => {
  beforeEach(() => {
    world.hubspot.requests.clear();
    world.notion.requests.clear();
  });

  it("re-reads the card, moves the deal to the mapped stage (exact PATCH) and records the sync state", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    world.notion.changeStatusAsUser(pageId, "In progress");

    const result = await syncFromNotion(env, { workspaceId, journeyId, pageId });

    expect(result).toEqual({
      outcome: "write",
      status: "In progress",
      stage: STAGE.delivery,
      milestone: "project-started",
    });
    const [read] = world.notion.requests.matching("GET", `/v1/pages/${pageId}`);
    expect(read?.headers.authorization).toBe(`Bearer ${NOTION_TOKEN}`);
    expect(read?.headers["notion-version"]).toBe("2025-09-03");
    const patches = hubspotPatches();
    expect(patches).toHaveLength(1);
    expect(patches[0]?.path).toBe(`/crm/v3/objects/deals/${dealId}`);
    expect(patches[0]?.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    expect(patches[0]?.body).toEqual({ properties: { dealstage: STAGE.delivery } });
    expect(world.hubspot.deals.get(dealId)?.properties.dealstage).toBe(STAGE.delivery);
    expect(await syncStateRow(journeyId)).toMatchObject({
      notion_status_seen: "In progress",
      notion_status_written: null,
      hubspot_stage_written: STAGE.delivery,
      hubspot_written_at: expect.any(String),
      last_change_source: "notion",
      version: 1,
    });
  });

  it("ignores HubSpot reporting back the stage it just wrote (no Notion PATCH)", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    world.notion.changeStatusAsUser(pageId, "In progress");
    await syncFromNotion(env, { workspaceId, journeyId, pageId });

    const echo = await syncFromHubspot(env, {
      workspaceId,
      journeyId,
      dealId,
      stage: STAGE.delivery,
      occurredAt: Date.now(),
    });

    expect(echo).toEqual({ outcome: "echo", status: null, stage: STAGE.delivery, milestone: null });
    expect(notionPatches()).toHaveLength(0);
    expect(world.notion.value(pageId, "Status")).toBe("In progress");
    expect(await syncStateRow(journeyId)).toMatchObject({
      hubspot_stage_seen: STAGE.delivery,
      hubspot_stage_written: null,
      version: 2,
    });
  });

  it("does nothing when another property of the card changed (same status as last read)", async () => {
    const { workspaceId, journeyId, pageId } = await setup();
    world.notion.changeStatusAsUser(pageId, "In progress");
    await syncFromNotion(env, { workspaceId, journeyId, pageId });
    world.hubspot.requests.clear();

    const again = await syncFromNotion(env, { workspaceId, journeyId, pageId });

    expect(again).toMatchObject({ outcome: "unchanged", milestone: null });
    expect(hubspotPatches()).toHaveLength(0);
  });

  it("with the default mapping, reports the milestone and leaves the won deal where it is", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup(null);
    world.notion.changeStatusAsUser(pageId, "In progress");

    const result = await syncFromNotion(env, { workspaceId, journeyId, pageId });

    expect(result).toEqual({ outcome: "unmapped", status: "In progress", stage: null, milestone: "project-started" });
    expect(hubspotPatches()).toHaveLength(0);
    expect(world.hubspot.deals.get(dealId)?.properties.dealstage).toBe("closedwon");
  });

  it("refuses a page whose Clientflow ID names another journey", async () => {
    const first = await setup();
    const other = await setup();
    const result = await syncFromNotion(env, {
      workspaceId: other.workspaceId,
      journeyId: other.journeyId,
      pageId: first.pageId,
    });
    expect(result.outcome).toBe("not_journey_card");
    expect(hubspotPatches()).toHaveLength(0);
  });

  it("records the card on a journey that had none, so the other direction finds it", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    await env.DB.prepare("UPDATE journeys SET notion_page_id = NULL WHERE id = ?").bind(journeyId).run();
    world.notion.changeStatusAsUser(pageId, "In progress");

    expect((await syncFromNotion(env, { workspaceId, journeyId, pageId })).outcome).toBe("write");
    expect((await findJourneyCard(env.DB, journeyId))?.pageId).toBe(pageId);
    expect((await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivered })).outcome).toBe(
      "write",
    );
  });
});

describe("HubSpot → Notion", () => {
  it("moves the card when the deal's stage really changed in HubSpot (exact PATCH)", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();

    const result = await syncFromHubspot(env, {
      workspaceId,
      journeyId,
      dealId,
      stage: STAGE.delivered,
      occurredAt: 1,
    });

    expect(result).toEqual({
      outcome: "write",
      status: "Done",
      stage: STAGE.delivered,
      milestone: "project-delivered",
    });
    const patches = notionPatches();
    expect(patches).toHaveLength(1);
    expect(patches[0]?.path).toBe(`/v1/pages/${pageId}`);
    expect(patches[0]?.headers.authorization).toBe(`Bearer ${NOTION_TOKEN}`);
    expect(patches[0]?.body).toEqual({ properties: { Status: { status: { name: "Done" } } } });
    expect(world.notion.value(pageId, "Status")).toBe("Done");
    expect(hubspotPatches()).toHaveLength(0);
    expect(await syncStateRow(journeyId)).toMatchObject({
      hubspot_stage_seen: STAGE.delivered,
      hubspot_event_at: 1,
      notion_status_written: "Done",
      last_change_source: "hubspot",
    });
  });

  it("ignores Notion reporting back the status it just wrote (no HubSpot PATCH)", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivered });

    const echo = await syncFromNotion(env, { workspaceId, journeyId, pageId });

    expect(echo).toEqual({ outcome: "echo", status: "Done", stage: null, milestone: null });
    expect(hubspotPatches()).toHaveLength(0);
    expect(await syncStateRow(journeyId)).toMatchObject({ notion_status_seen: "Done", notion_status_written: null });
  });

  it("ignores a stage change older than one already applied (HubSpot delivers out of order)", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivered, occurredAt: 2_000 });
    world.notion.requests.clear();

    const late = await syncFromHubspot(env, {
      workspaceId,
      journeyId,
      dealId,
      stage: STAGE.delivery,
      occurredAt: 1_000,
    });

    expect(late.outcome).toBe("stale");
    expect(notionPatches()).toHaveLength(0);
    expect(world.notion.value(pageId, "Status")).toBe("Done");
  });

  it("leaves the card alone for a stage with no status, or one the card's status already maps to", async () => {
    const shared = { statuses: [...MAPPING.statuses, { status: "Review", dealStage: STAGE.delivery }] };
    const { workspaceId, journeyId, pageId, dealId } = await setup(shared);
    world.notion.statuses.push("Review");
    world.notion.changeStatusAsUser(pageId, "Review");
    await syncFromNotion(env, { workspaceId, journeyId, pageId });
    world.notion.requests.clear();

    expect((await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: "closedlost" })).outcome).toBe(
      "unmapped",
    );
    expect((await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivery })).outcome).toBe(
      "in_sync",
    );
    expect(notionPatches()).toHaveLength(0);
    expect(world.notion.value(pageId, "Status")).toBe("Review");
  });

  it("refuses a stage change of another deal", async () => {
    const { workspaceId, journeyId } = await setup();
    const result = await syncFromHubspot(env, { workspaceId, journeyId, dealId: "999999", stage: STAGE.delivered });
    expect(result.outcome).toBe("not_journey_deal");
    expect(notionPatches()).toHaveLength(0);
  });
});

describe("no ping-pong", () => {
  it("a change made in Notion reaches HubSpot once, and neither echo travels back", async () => {
    const { workspaceId, journeyId, pageId, dealId } = await setup();
    const notionWs = `5e1f0c2a-0000-4000-9000-00000000${n}`;
    expect((await postHandshake(world)).status).toBe(200);

    // A person moves the card; Notion's event is accepted (the journey's step does the sync).
    const moved = world.notion.changeStatusAsUser(pageId, "In progress", { workspaceId: notionWs });
    expect((await postNotion(await world.notion.delivery(moved))).status).toBe(200);
    expect((await syncFromNotion(env, { workspaceId, journeyId, pageId })).outcome).toBe("write");
    // HubSpot reports our stage write; Notion reports the same card again (e.g. aggregated edits).
    expect((await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivery })).outcome).toBe(
      "echo",
    );
    expect((await syncFromNotion(env, { workspaceId, journeyId, pageId })).outcome).toBe("unchanged");

    // Then the deal moves in HubSpot: the card follows once, and its echo stops there.
    expect((await syncFromHubspot(env, { workspaceId, journeyId, dealId, stage: STAGE.delivered })).outcome).toBe(
      "write",
    );
    expect((await syncFromNotion(env, { workspaceId, journeyId, pageId })).outcome).toBe("echo");

    expect(hubspotPatches().map((r) => r.body)).toEqual([{ properties: { dealstage: STAGE.delivery } }]);
    expect(notionPatches().map((r) => r.body)).toEqual([{ properties: { Status: { status: { name: "Done" } } } }]);
    // One line per sync with ids and outcomes; no client data, no tokens.
    expect(logs.filter((line) => line.includes('"msg":"fulfillment sync"'))).toHaveLength(5);
    for (const secret of ["Cobol", world.notion.webhook.token, NOTION_TOKEN, HUBSPOT_TOKEN]) {
      expect(logs.some((line) => line.includes(secret))).toBe(false);
    }
  });

  it("a concurrent writer makes the state write fail with a retryable conflict, never a silent overwrite", async () => {
    const { journeyId } = await setup();
    const read = await loadSyncState(env.DB, journeyId);
    await saveSyncState(env.DB, journeyId, { ...read, notionStatusSeen: "In progress" });

    await expect(saveSyncState(env.DB, journeyId, { ...read, notionStatusSeen: "Done" })).rejects.toBeInstanceOf(
      SyncConflictError,
    );
    expect((await loadSyncState(env.DB, journeyId)).notionStatusSeen).toBe("In progress");
  });
});
