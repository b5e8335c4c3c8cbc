import type { AppEnv } from "../env";
import { log } from "../log";
import { findJourney, type Journey } from "../store/journeys";
import { type Signal, type SignalInput, SignalPayloadError, sendSignal } from "./protocol";

export type SignalOutcome = "signalled" | "unknown_journey" | "journey_finished";

/**
 * Sends a signal (or the same payload as several signals) to a journey's
 * Workflow instance; an instance that has not reached its wait yet keeps the
 * event for it. A missing or finished journey is reported, not thrown:
 * webhook senders must get a 2xx for events nobody waits for. A payload the
 * signal's schema refuses is thrown (SignalPayloadError) before anything is sent.
 */
export async function signalJourney<G extends Signal>(
  env: AppEnv,
  journeyId: string,
  signals: G | readonly G[],
  payload: SignalInput<G>,
  expectedWorkspaceId?: string,
): Promise<{ outcome: SignalOutcome; journey: Journey | null }> {
  const journey = await findJourney(env.DB, journeyId);
  if (!journey || (expectedWorkspaceId && journey.workspaceId !== expectedWorkspaceId)) {
    return { outcome: "unknown_journey", journey: null };
  }
  if (!["running", "waiting", "paused"].includes(journey.status)) return { outcome: "journey_finished", journey };
  const all: readonly G[] = isList(signals) ? signals : [signals];
  let instance: WorkflowInstance;
  try {
    instance = await env.JOURNEYS.get(journey.workflowInstanceId);
  } catch (error) {
    log.warn("journey did not take the event", { journeyId, reason: String(error) });
    return { outcome: "journey_finished", journey };
  }
  for (const signal of all) {
    try {
      await sendSignal(instance, signal, payload);
    } catch (error) {
      if (error instanceof SignalPayloadError) throw error;
      log.warn("journey did not take the event", { journeyId, type: signal.type, reason: String(error) });
      return { outcome: "journey_finished", journey };
    }
  }
  return { outcome: "signalled", journey };
}

const isList = <G extends Signal>(signals: G | readonly G[]): signals is readonly G[] => Array.isArray(signals);
