import type { AppEnv } from "../env";
import { log } from "../log";
import type { Provider } from "../store/connections";
import { pausedJourneysFor } from "../store/journey-lookups";
import { connectionRestored, sendSignal } from "./protocol";

/**
 * Wakes every journey of the workspace that paused because `provider` needed
 * reconnecting (leads included: they run in the process interpreter too);
 * each resumes at the step that failed.
 */
export async function resumePausedJourneys(env: AppEnv, workspaceId: string, provider: Provider): Promise<number> {
  const results = await pausedJourneysFor(env.DB, workspaceId, provider);
  let resumed = 0;
  for (const journey of results) {
    try {
      const instance = await env.JOURNEYS.get(journey.workflowInstanceId);
      await sendSignal(instance, connectionRestored(provider), { provider });
      resumed++;
    } catch (error) {
      log.warn("paused journey could not be resumed", {
        tenant: workspaceId,
        journeyId: journey.id,
        provider,
        reason: String(error),
      });
    }
  }
  return resumed;
}
