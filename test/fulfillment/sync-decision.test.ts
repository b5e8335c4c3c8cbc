import { describe, expect, it } from "vitest";
import {
  DEFAULT_MILESTONES,
  defaultStatusMapping,
  milestoneForStatus,
  stageForStatus,
  statusForStage,
  statusMappingSchema,
} from "../../src/fulfillment/status-mapping";
import { decideFromHubspot, decideFromNotion } from "../../src/fulfillment/sync-decision";
import { EMPTY_SYNC_STATE, type SyncState } from "../../src/store/sync-state";

const mapping = statusMappingSchema.parse({
  statuses: [
    { status: "Onboarding", dealStage: "kickoff" },
    { status: "In progress", dealStage: "delivery", milestone: "project-started" },
    { status: "Review", dealStage: "delivery" },
    { status: "Done", dealStage: "delivered", milestone: "project-delivered" },
    { status: "Paused" },
  ],
});
const now = new Date("2026-11-23T12:00:00.000Z");
const state = (fields: Partial<SyncState>): SyncState => ({ ...EMPTY_SYNC_STATE, ...fields });

describe("status mapping", () => {
  it("maps statuses to stages and milestones, and a stage back to its first status", () => {
    expect(stageForStatus(mapping, "In progress")).toBe("delivery");
    expect(stageForStatus(mapping, "Paused")).toBeNull();
    expect(stageForStatus(mapping, "Unknown")).toBeNull();
    expect(statusForStage(mapping, "delivery")).toBe("In progress");
    expect(statusForStage(mapping, "closedlost")).toBeNull();
    expect(milestoneForStatus(mapping, "Done")).toBe("project-delivered");
  });

  it("defaults: the workspace's status names, milestones, and no deal stage", () => {
    const defaults = defaultStatusMapping({ onboarding: "Kickoff", inProgress: "Doing", done: "Done" });
    expect(defaults.statuses).toEqual([
      { status: "Kickoff", dealStage: null, pipeline: null, milestone: null },
      { status: "Doing", dealStage: null, pipeline: null, milestone: DEFAULT_MILESTONES.started },
      { status: "Done", dealStage: null, pipeline: null, milestone: DEFAULT_MILESTONES.delivered },
    ]);
  });

  it("refuses a status named twice and malformed milestone keys", () => {
    const twice = statusMappingSchema.safeParse({ statuses: [{ status: "Done" }, { status: "Done" }] });
    expect(twice.success).toBe(false);
    const badKey = statusMappingSchema.safeParse({ statuses: [{ status: "Done", milestone: "Project Done!" }] });
    expect(badKey.success).toBe(false);
  });
});

describe("decideFromNotion", () => {
  it("writes the mapped stage for a real change and remembers the write", () => {
    const decision = decideFromNotion(state({ notionStatusSeen: "Onboarding" }), "In progress", mapping, now);
    expect(decision.outcome).toBe("write");
    expect(decision.value).toBe("delivery");
    expect(decision.next).toMatchObject({
      notionStatusSeen: "In progress",
      hubspotStageWritten: "delivery",
      hubspotWrittenAt: now.toISOString(),
      lastChangeSource: "notion",
    });
  });

  it("recognizes the status Clientflow wrote as an echo and clears the pending write", () => {
    const decision = decideFromNotion(state({ notionStatusWritten: "Done" }), "Done", mapping, now);
    expect(decision.outcome).toBe("echo");
    expect(decision.next).toMatchObject({ notionStatusSeen: "Done", notionStatusWritten: null });
  });

  it("treats a different status than the pending write as a real change", () => {
    const decision = decideFromNotion(state({ notionStatusWritten: "Done" }), "In progress", mapping, now);
    expect(decision).toMatchObject({ outcome: "write", value: "delivery", next: { notionStatusWritten: null } });
  });

  it("does not write a stage HubSpot already has (seen, or written and pending)", () => {
    expect(decideFromNotion(state({ hubspotStageSeen: "delivery" }), "Review", mapping, now).outcome).toBe("in_sync");
    expect(decideFromNotion(state({ hubspotStageWritten: "delivered" }), "Done", mapping, now).outcome).toBe("in_sync");
  });

  it("reports an unchanged status and an unmapped one without writing", () => {
    expect(decideFromNotion(state({ notionStatusSeen: "Done" }), "Done", mapping, now).outcome).toBe("unchanged");
    expect(decideFromNotion(state({}), "Paused", mapping, now).outcome).toBe("unmapped");
  });
});

describe("decideFromHubspot", () => {
  it("moves the card for a real stage change and remembers the write", () => {
    const decision = decideFromHubspot(state({ notionStatusSeen: "In progress" }), "delivered", mapping, now, 5);
    expect(decision).toMatchObject({
      outcome: "write",
      value: "Done",
      next: {
        hubspotStageSeen: "delivered",
        hubspotEventAt: 5,
        notionStatusWritten: "Done",
        lastChangeSource: "hubspot",
      },
    });
  });

  it("recognizes the stage Clientflow wrote as an echo", () => {
    const decision = decideFromHubspot(state({ hubspotStageWritten: "delivery" }), "delivery", mapping, now);
    expect(decision.outcome).toBe("echo");
    expect(decision.next).toMatchObject({ hubspotStageSeen: "delivery", hubspotStageWritten: null });
  });

  it("ignores a change older than the newest applied, and keeps the state", () => {
    const before = state({ hubspotEventAt: 2_000, hubspotStageSeen: "delivered" });
    const decision = decideFromHubspot(before, "delivery", mapping, now, 1_000);
    expect(decision.outcome).toBe("stale");
    expect(decision.next).toBe(before);
  });

  it("leaves a card whose status already maps to the stage (several statuses share one)", () => {
    const decision = decideFromHubspot(state({ notionStatusSeen: "Review" }), "delivery", mapping, now);
    expect(decision.outcome).toBe("in_sync");
  });

  it("reports a stage with no status, and a repeat of the last stage, without writing", () => {
    expect(decideFromHubspot(state({}), "closedlost", mapping, now).outcome).toBe("unmapped");
    expect(decideFromHubspot(state({ hubspotStageSeen: "kickoff" }), "kickoff", mapping, now).outcome).toBe(
      "unchanged",
    );
  });

  it("a write in one direction and its echo from the other never produce a second write", () => {
    let current = state({ notionStatusSeen: "Onboarding", hubspotStageSeen: "kickoff" });
    const fromNotion = decideFromNotion(current, "In progress", mapping, now);
    current = { ...fromNotion.next, version: 1 };
    const echo = decideFromHubspot(current, "delivery", mapping, now);
    current = echo.next;
    const fromHubspot = decideFromHubspot(current, "delivered", mapping, now);
    current = fromHubspot.next;
    const notionEcho = decideFromNotion(current, "Done", mapping, now);
    expect([fromNotion.outcome, echo.outcome, fromHubspot.outcome, notionEcho.outcome]).toEqual([
      "write",
      "echo",
      "write",
      "echo",
    ]);
  });
});
