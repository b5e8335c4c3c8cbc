import type { AppEnv } from "../env";
import { continueLeadJourney } from "../leads/deal-won";
import { findJourney, insertJourney, journeyWorkflow } from "../store/journeys";
import { getWorkspace } from "../store/workspaces";
import { instanceExists } from "./instance-exists";
import { onboardingJourneyId } from "./journey-id";

export type StartOutcome = "started" | "duplicate_deal" | "signalled";

/**
 * Starts onboarding for a won deal, at most once per workspace + deal: the
 * journey row is unique per deal and the instance id is derived from it. A
 * row without an instance (a crash between the two writes) gets its instance.
 * A deal opened for a lead is onboarded by the lead's own journey, which is
 * signalled instead ("signalled").
 */
export async function startOnboarding(
  env: AppEnv,
  workspaceId: string,
  dealId: string,
): Promise<{ journeyId: string; outcome: StartOutcome }> {
  const lead = await continueLeadJourney(env, workspaceId, dealId);
  if (lead) return lead;
  const journeyId = await onboardingJourneyId(workspaceId, dealId);
  // The workspace's engine: its process (the Workflow picks and pins the template
  // for the deal's pipeline), or the fixed onboarding flow.
  const workspace = await getWorkspace(env.DB, workspaceId);
  const workflow = workspace.settings.engine;
  const created = await insertJourney(env.DB, { id: journeyId, workspaceId, dealId, workflow });
  const journey = created ? null : await findJourney(env.DB, journeyId);
  const binding = journeyWorkflow(env, journey ?? { workflow });
  if (!created && (await instanceExists(binding, journeyId))) return { journeyId, outcome: "duplicate_deal" };
  try {
    if ((journey?.workflow ?? workflow) === "process") {
      await env.PROCESS.create({
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
    } else {
      await env.ONBOARDING.create({ id: journeyId, params: { workspaceId, journeyId, dealId } });
    }
  } catch (error) {
    if (error instanceof Error && /already.?exists/i.test(error.message))
      return { journeyId, outcome: "duplicate_deal" };
    throw error;
  }
  return { journeyId, outcome: "started" };
}
