import { endFollowUps } from "../engine/repurchase";
import type { AppEnv } from "../env";
import { log } from "../log";
import { dealWon, sendSignal } from "../runtime/protocol";
import type { Journey } from "../store/journeys";
import { leadJourneyOfDeal, releaseLeadDeal } from "../store/lead-journeys";

/** Instance states in which a journey still takes events (a sent event is buffered until it waits for it). */
const LIVE = new Set<InstanceStatus["status"]>(["queued", "running", "paused", "waiting", "waitingForPause"]);

/**
 * A won deal whose journey started as a lead: a lead journey still running
 * is sent the won deal (buffered if it has not reached its wait yet) and
 * goes on into onboarding itself; one already past its lead phase is the
 * deal's journey (a duplicate). A lead journey that ended first gives the
 * deal up. Null when the deal has no (live) lead journey: it starts its own.
 * Either way a lead's deal that is won is the business's sale: a client of
 * the same contact in follow-up bought again (see `onDealCreated`: the
 * lead form's deal alone ends nothing).
 */
export async function continueLeadJourney(
  env: AppEnv,
  workspaceId: string,
  dealId: string,
): Promise<{ journeyId: string; outcome: "signalled" | "duplicate_deal" } | null> {
  const journey = await leadJourneyOfDeal(env.DB, workspaceId, dealId);
  if (!journey) return null;
  if (journey.phase !== "lead") return { journeyId: journey.id, outcome: "duplicate_deal" };
  const instance = await env.JOURNEYS.get(journey.workflowInstanceId).catch(() => null);
  if (instance && LIVE.has((await instance.status()).status)) {
    await sendSignal(instance, dealWon, { dealId });
    await endClientFollowUps(env, journey, dealId);
    return { journeyId: journey.id, outcome: "signalled" };
  }
  log.info("lead journey ended before its deal was won", { tenant: workspaceId, journeyId: journey.id });
  await releaseLeadDeal(env.DB, journey.id);
  await endClientFollowUps(env, journey, dealId);
  return null;
}

/** Ends the follow-up of the lead's contact's earlier journeys: the won deal is a repurchase. */
async function endClientFollowUps(env: AppEnv, lead: Journey, dealId: string): Promise<void> {
  if (!lead.contactId) return;
  const ended = await endFollowUps(env, lead.workspaceId, dealId, [lead.contactId]);
  if (ended.length > 0)
    log.info("won lead deal ended a follow-up", { tenant: lead.workspaceId, journeyId: lead.id, ended: ended.length });
}
