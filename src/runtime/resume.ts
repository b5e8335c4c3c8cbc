import type { AppEnv } from "../env";
import { log } from "../log";
import type { Provider } from "../store/connections";
import { type JourneyWorkflow, journeyWorkflow } from "../store/journeys";

/** The event a journey paused on a connection waits for. */
export const connectionRestoredEvent = (provider: Provider) => `connection-restored-${provider}`;

/**
 * Wakes every journey of the workspace that paused because `provider` needed
 * reconnecting (leads included: they run in the process interpreter too);
 * each resumes at the step that failed.
 */
export async function resumePausedJourneys(env: AppEnv, workspaceId: string, provider: Provider): Promise<number> {
  const { results } = await env.DB.prepare(
    "SELECT id, workflow_instance_id, workflow FROM journeys WHERE workspace_id = ? AND status = 'paused' AND paused_for = ?",
  )
    .bind(workspaceId, provider)
    .all<{ id: string; workflow_instance_id: string; workflow: JourneyWorkflow }>();
  let resumed = 0;
  for (const journey of results) {
    try {
      const instance = await journeyWorkflow(env, journey).get(journey.workflow_instance_id);
      await instance.sendEvent({ type: connectionRestoredEvent(provider), payload: { provider } });
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
