import type { AppEnv } from "../env";
import { insertJourney } from "../store/journeys";
import { onboardingJourneyId } from "./journey-id";

export type StartOutcome = "started" | "duplicate_deal";

async function instanceExists(binding: Workflow, id: string): Promise<boolean> {
  try {
    await binding.get(id);
    return true;
  } catch {
    return false; // instance.not_found
  }
}

/**
 * Starts onboarding for a won deal, at most once per workspace + deal: the
 * journey row is unique per deal and the instance id is derived from it. A
 * row without an instance (a crash between the two writes) gets its instance.
 */
export async function startOnboarding(
  env: AppEnv,
  workspaceId: string,
  dealId: string,
): Promise<{ journeyId: string; outcome: StartOutcome }> {
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  const created = await insertJourney(env.DB, { id: journeyId, workspaceId, dealId });
  if (!created && (await instanceExists(env.ONBOARDING, journeyId))) return { journeyId, outcome: "duplicate_deal" };
  try {
    await env.ONBOARDING.create({ id: journeyId, params: { workspaceId, journeyId, dealId } });
  } catch (error) {
    if (error instanceof Error && /already.?exists/i.test(error.message))
      return { journeyId, outcome: "duplicate_deal" };
    throw error;
  }
  return { journeyId, outcome: "started" };
}
