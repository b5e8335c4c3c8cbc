import type { AppEnv } from "../env";
import { continueLeadJourney } from "../leads/deal-won";
import { insertJourney } from "../store/journeys";
import { onboardingJourneyId } from "./journey-id";
import { instanceExists, isDuplicateInstance } from "./platform";

export type StartOutcome = "started" | "duplicate_deal" | "signalled";

/**
 * Starts onboarding for a won deal in the journey engine, at most once per
 * workspace + deal: the journey row is unique per deal and the instance id
 * is derived from it. A row without an instance (a crash between the two
 * writes) gets its instance. A deal opened for a lead is onboarded by the
 * lead's own journey, which is signalled instead ("signalled").
 */
export async function startOnboarding(
  env: AppEnv,
  workspaceId: string,
  dealId: string,
): Promise<{ journeyId: string; outcome: StartOutcome }> {
  const lead = await continueLeadJourney(env, workspaceId, dealId);
  if (lead) return lead;
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  // The interpreter picks the template for the deal's pipeline and pins it in its first steps.
  const created = await insertJourney(env.DB, { id: journeyId, workspaceId, dealId, workflow: "process" });
  if (!created && (await instanceExists(env.JOURNEYS, journeyId))) return { journeyId, outcome: "duplicate_deal" };
  try {
    await env.JOURNEYS.create({
      id: journeyId,
      params: {
        workspaceId,
        journeyId,
        dealId,
        templateVersion: 0,
        startPhase: "onboarding",
        startedBy: "hubspot.deal.won",
      },
    });
  } catch (error) {
    if (isDuplicateInstance(error)) return { journeyId, outcome: "duplicate_deal" };
    throw error;
  }
  return { journeyId, outcome: "started" };
}
