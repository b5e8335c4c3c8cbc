import type { AppEnv } from "../env";
import { log } from "../log";
import { findJourney, type Journey, journeyWorkflow } from "../store/journeys";

export type SignalOutcome = "signalled" | "unknown_journey" | "journey_finished";

/**
 * Sends an event to a journey's Workflow instance (buffered if the instance
 * has not reached its wait yet). A missing or finished journey is reported,
 * not thrown: webhook senders must get a 2xx for events nobody waits for.
 * Event types use dashes (Workflows allow no dots): `contract-signed`, …
 */
export async function signalJourney(
  env: AppEnv,
  journeyId: string,
  type: string,
  payload: Record<string, unknown>,
  expectedWorkspaceId?: string,
): Promise<{ outcome: SignalOutcome; journey: Journey | null }> {
  const journey = await findJourney(env.DB, journeyId);
  if (!journey || (expectedWorkspaceId && journey.workspaceId !== expectedWorkspaceId)) {
    return { outcome: "unknown_journey", journey: null };
  }
  if (!["running", "waiting", "paused"].includes(journey.status)) return { outcome: "journey_finished", journey };
  try {
    const instance = await journeyWorkflow(env, journey).get(journey.workflowInstanceId);
    await instance.sendEvent({ type, payload });
    return { outcome: "signalled", journey };
  } catch (error) {
    log.warn("journey did not take the event", { journeyId, type, reason: String(error) });
    return { outcome: "journey_finished", journey };
  }
}
