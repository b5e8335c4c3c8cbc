import type { StepIdentity } from "../../integrations/core/context";
import { updateDealStage } from "../../integrations/hubspot/actions/update-deal-stage";
import { getCard } from "../../integrations/notion/actions/get-card";
import { moveCard } from "../../integrations/notion/actions/move-card";
import { runStepAction } from "../connections/action-context";
import type { AppEnv } from "../env";
import { log } from "../log";
import { getStatusMapping } from "../settings/status-mapping";
import { findJourneyCard, normalizePageId, recordJourneyCard } from "../store/journey-cards";
import { loadSyncState, saveSyncState } from "../store/sync-state";
import { entryForStatus, milestoneForStatus } from "./status-mapping";
import { decideFromHubspot, decideFromNotion, type SyncOutcome } from "./sync-decision";

/**
 * What a sync did, as small JSON for a durable step's result. Besides the
 * decision's outcomes: `unknown_journey` (no such journey in the
 * workspace), `not_journey_card` / `not_journey_deal` (the page or deal
 * belongs to another journey), `no_card` (no card recorded yet),
 * `card_in_trash`, `no_status` (the card has no status).
 */
export interface SyncResult {
  outcome:
    | SyncOutcome
    | "unknown_journey"
    | "not_journey_card"
    | "not_journey_deal"
    | "no_card"
    | "card_in_trash"
    | "no_status";
  /** The card's status: read from Notion, or written to it. */
  status: string | null;
  /** The deal stage: written to HubSpot, or reported by it. */
  stage: string | null;
  /**
   * The milestone email the process template should send: set when the card
   * reached a status by a real change (never for an echo or a repeat).
   */
  milestone: string | null;
}

const result = (outcome: SyncResult["outcome"], fields: Partial<Omit<SyncResult, "outcome">> = {}): SyncResult => ({
  outcome,
  status: fields.status ?? null,
  stage: fields.stage ?? null,
  milestone: fields.milestone ?? null,
});

const syncStep = (workspaceId: string, journeyId: string): StepIdentity => ({
  workspaceId,
  journeyId,
  idempotencyKey: `${journeyId}:fulfillment.sync`,
});

/**
 * Card → deal. Re-reads the page (events carry ids only), maps its Status
 * through the workspace's mapping and moves the HubSpot deal, unless the
 * status is our own write coming back or the deal already agrees. Safe to
 * retry as a durable step: the HubSpot write comes before the state write,
 * and writing the same stage again changes nothing. Throws IntegrationError
 * (retryable by status), ConnectionError, or SyncConflictError (retry).
 */
export async function syncFromNotion(
  env: AppEnv,
  input: { workspaceId: string; journeyId: string; pageId: string },
): Promise<SyncResult> {
  const { workspaceId, journeyId } = input;
  const journey = await findJourneyCard(env.DB, journeyId);
  if (!journey || journey.workspaceId !== workspaceId) return result("unknown_journey");
  const pageId = normalizePageId(input.pageId);
  if (journey.pageId && journey.pageId !== pageId) return result("not_journey_card");

  const step = syncStep(workspaceId, journeyId);
  const card = await runStepAction(env, getCard, step, { pageId });
  if (card.journeyId !== journeyId) return result("not_journey_card");
  if (card.inTrash) return result("card_in_trash", { status: card.status });
  if (card.status === null) return result("no_status");
  // The Clientflow ID proved the card is this journey's: remember it for the other direction.
  if (!journey.pageId) await recordJourneyCard(env.DB, journeyId, pageId);

  const [state, mapping] = await Promise.all([loadSyncState(env.DB, journeyId), getStatusMapping(env.DB, workspaceId)]);
  const decision = decideFromNotion(state, card.status, mapping, new Date());
  if (decision.outcome === "write" && decision.value) {
    const pipeline = entryForStatus(mapping, card.status)?.pipeline ?? undefined;
    await runStepAction(env, updateDealStage, step, { dealId: journey.dealId, stage: decision.value, pipeline });
  }
  await saveSyncState(env.DB, journeyId, decision.next);
  const realChange = ["write", "in_sync", "unmapped"].includes(decision.outcome);
  log.info("fulfillment sync", { tenant: workspaceId, journeyId, provider: "notion", outcome: decision.outcome });
  return result(decision.outcome, {
    status: card.status,
    stage: decision.value,
    milestone: realChange ? milestoneForStatus(mapping, card.status) : null,
  });
}

/**
 * Deal → card. Maps a HubSpot stage change back to the card's Status
 * (through `notion.move-card`), unless the stage is our own write coming
 * back, the card already agrees, or the change is older than one already
 * applied (`occurredAt`, epoch ms, from the HubSpot event). Retry-safe like
 * syncFromNotion.
 */
export async function syncFromHubspot(
  env: AppEnv,
  input: { workspaceId: string; journeyId: string; dealId: string; stage: string; occurredAt?: number },
): Promise<SyncResult> {
  const { workspaceId, journeyId, stage } = input;
  const journey = await findJourneyCard(env.DB, journeyId);
  if (!journey || journey.workspaceId !== workspaceId) return result("unknown_journey", { stage });
  if (journey.dealId !== input.dealId) return result("not_journey_deal", { stage });
  if (!journey.pageId) return result("no_card", { stage });

  const [state, mapping] = await Promise.all([loadSyncState(env.DB, journeyId), getStatusMapping(env.DB, workspaceId)]);
  const decision = decideFromHubspot(state, stage, mapping, new Date(), input.occurredAt);
  if (decision.outcome === "stale") return result("stale", { stage });
  if (decision.outcome === "write" && decision.value) {
    const step = syncStep(workspaceId, journeyId);
    await runStepAction(env, moveCard, step, { pageId: journey.pageId, status: decision.value });
  }
  await saveSyncState(env.DB, journeyId, decision.next);
  log.info("fulfillment sync", { tenant: workspaceId, journeyId, provider: "hubspot", outcome: decision.outcome });
  return result(decision.outcome, {
    stage,
    status: decision.value,
    milestone: decision.outcome === "write" && decision.value ? milestoneForStatus(mapping, decision.value) : null,
  });
}
