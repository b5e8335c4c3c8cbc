import type { AppEnv } from "../env";
import { AppError, NotFoundError } from "../errors";
import { log } from "../log";
import { findWebhookEvent, recordReplay } from "../store/webhook-events";
import { dispatchEvent } from "./dispatch";
import { parseStoredEvent } from "./normalized";

/**
 * Replays one recorded event of the workspace: its stored normalized event
 * goes through the receiver's own dispatch, which is idempotent (a journey
 * that exists is reported as `duplicate_deal`, durable tasks already started
 * as `duplicate`, a signal to a journey matches by invoice or page id).
 *
 * The delivery's outcome stays as it was; the replay's outcome is recorded
 * beside it (`replay_outcome`, `replayed_at`, `replay_count`), so the log
 * shows both what happened on delivery and what the last replay did.
 */
export async function replayEvent(
  env: AppEnv,
  workspaceId: string,
  id: number,
): Promise<{ id: number; outcome: string; journeyId: string | null }> {
  const row = await findWebhookEvent(env.DB, workspaceId, id);
  if (!row) throw new NotFoundError("unknown_event", "No such event in this workspace");
  const event = parseStoredEvent(row.payload);
  if (!event) {
    throw new AppError(
      "not_replayable",
      "This event was recorded before replay was possible: its normalized form was not stored",
      409,
    );
  }
  const { outcome, journeyId } = await dispatchEvent(
    env,
    { workspaceId, eventId: row.event_id, mode: "replay" },
    event,
  );
  await recordReplay(env.DB, row.id, outcome, journeyId);
  log.info("event replayed", {
    provider: row.provider,
    tenant: workspaceId,
    eventId: row.event_id,
    journeyId: journeyId ?? undefined,
    outcome,
  });
  return { id: row.id, outcome, journeyId: journeyId ?? row.journey_id };
}
