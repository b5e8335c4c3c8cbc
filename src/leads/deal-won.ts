import type { AppEnv } from "../env";
import { log } from "../log";
import { dealWon, sendSignal } from "../runtime/protocol";
import { leadJourneyOfDeal, releaseLeadDeal } from "../store/lead-journeys";

/** Instance states in which a journey still takes events (a sent event is buffered until it waits for it). */
const LIVE = new Set<InstanceStatus["status"]>(["queued", "running", "paused", "waiting", "waitingForPause"]);

/**
 * A won deal whose journey started as a lead: a lead journey still running
 * is sent the won deal (buffered if it has not reached its wait yet) and
 * goes on into onboarding itself; one already past its lead phase is the
 * deal's journey (a duplicate). A lead journey that ended first gives the
 * deal up. Null when the deal has no (live) lead journey: it starts its own.
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
    return { journeyId: journey.id, outcome: "signalled" };
  }
  log.info("lead journey ended before its deal was won", { tenant: workspaceId, journeyId: journey.id });
  await releaseLeadDeal(env.DB, journey.id);
  return null;
}
