import type { SyncState } from "../store/sync-state";
import { type StatusMapping, stageForStatus, statusForStage } from "./status-mapping";

/**
 * The ping-pong guard, as pure functions over a journey's sync state.
 *
 * Two rules keep the Notion card and the HubSpot deal from bouncing a change
 * back and forth:
 * 1. Echo: a side reporting the value Clientflow last wrote to it is our own
 *    write coming back; it is recorded as seen and not synced across. The
 *    pending write is cleared by any report from that side, so it cannot
 *    swallow a later real change (a side reports nothing when a value is set
 *    to what it already is).
 * 2. Convergence: a change is written to the other side only if that side is
 *    not already consistent with it, so an echo that raced the state write
 *    ends the exchange anyway.
 * HubSpot changes carry their value and occurredAt, so an older one arriving
 * after a newer one is stale. Notion changes are re-read from the page, so
 * they are always current.
 */

/**
 * What to do with a report from one side:
 * - `write`: a real change the other side must follow (`value` is the stage or status to write);
 * - `echo`: our own write coming back;
 * - `unchanged`: the same value as last reported (another property changed);
 * - `in_sync`: a real change the other side already agrees with;
 * - `unmapped`: a real change with no counterpart in the mapping;
 * - `stale`: an older HubSpot change than one already applied.
 */
export type SyncOutcome = "write" | "echo" | "unchanged" | "in_sync" | "unmapped" | "stale";

export interface SyncDecision {
  outcome: SyncOutcome;
  /** The stage (to HubSpot) or status (to Notion) to write when `outcome` is "write". */
  value: string | null;
  /** The state to store (unchanged for "stale"). */
  next: SyncState;
}

/** The stage HubSpot has as far as we know: our pending write, else what it last reported. */
const knownStage = (state: SyncState) => state.hubspotStageWritten ?? state.hubspotStageSeen;
/** The status the card has as far as we know: our pending write, else what we last read. */
const knownStatus = (state: SyncState) => state.notionStatusWritten ?? state.notionStatusSeen;

/** Decides what a status read from the card means for HubSpot. */
export function decideFromNotion(state: SyncState, status: string, mapping: StatusMapping, now: Date): SyncDecision {
  const at = now.toISOString();
  const seen: SyncState = {
    ...state,
    notionStatusSeen: status,
    notionSeenAt: at,
    notionStatusWritten: null,
    notionWrittenAt: null,
  };
  if (state.notionStatusWritten === status) {
    return { outcome: "echo", value: null, next: seen };
  }
  if (state.notionStatusWritten === null && state.notionStatusSeen === status) {
    return { outcome: "unchanged", value: null, next: seen };
  }
  const stage = stageForStatus(mapping, status);
  if (stage === null) return { outcome: "unmapped", value: null, next: seen };
  if (knownStage(state) === stage) return { outcome: "in_sync", value: null, next: seen };
  return {
    outcome: "write",
    value: stage,
    next: {
      ...seen,
      hubspotStageWritten: stage,
      hubspotWrittenAt: at,
      lastChangeSource: "notion",
      lastChangeAt: at,
    },
  };
}

/** Decides what a deal stage reported by HubSpot means for the card. */
export function decideFromHubspot(
  state: SyncState,
  stage: string,
  mapping: StatusMapping,
  now: Date,
  occurredAt?: number,
): SyncDecision {
  if (occurredAt !== undefined && state.hubspotEventAt !== null && occurredAt < state.hubspotEventAt) {
    return { outcome: "stale", value: null, next: state };
  }
  const at = now.toISOString();
  const seen: SyncState = {
    ...state,
    hubspotStageSeen: stage,
    hubspotSeenAt: at,
    hubspotEventAt: occurredAt ?? state.hubspotEventAt,
    hubspotStageWritten: null,
    hubspotWrittenAt: null,
  };
  if (state.hubspotStageWritten === stage) {
    return { outcome: "echo", value: null, next: seen };
  }
  if (state.hubspotStageWritten === null && state.hubspotStageSeen === stage) {
    return { outcome: "unchanged", value: null, next: seen };
  }
  const current = knownStatus(state);
  if (current !== null && stageForStatus(mapping, current) === stage) {
    return { outcome: "in_sync", value: null, next: seen };
  }
  const status = statusForStage(mapping, stage);
  if (status === null) return { outcome: "unmapped", value: null, next: seen };
  if (status === current) return { outcome: "in_sync", value: null, next: seen };
  return {
    outcome: "write",
    value: status,
    next: {
      ...seen,
      notionStatusWritten: status,
      notionWrittenAt: at,
      lastChangeSource: "hubspot",
      lastChangeAt: at,
    },
  };
}
