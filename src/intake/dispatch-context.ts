import type { AppEnv } from "../env";
import { instanceExists } from "../runtime/platform";
import type { TaskParams } from "../tasks/task-params";
import { startTasks, taskInstanceId } from "../tasks/task-workflow";

/**
 * Who dispatches: a receiver on delivery, or the owner replaying a stored
 * event. Dispatch is idempotent either way; a replay also checks first
 * whether durable work already exists, so it can say "duplicate".
 */
export interface DispatchContext {
  workspaceId: string;
  eventId: string;
  mode: "delivery" | "replay";
}

/** Whether the durable tasks started under `key` already exist (replays only: not on the ack path). */
export async function tasksExist(env: AppEnv, workspaceId: string, key: string): Promise<boolean> {
  return instanceExists(env.TASKS, await taskInstanceId(workspaceId, key));
}

/**
 * Starts durable tasks once per key; returns `outcome`, or "duplicate" when a
 * replay finds them already started.
 */
export async function startTasksOnce(
  env: AppEnv,
  ctx: DispatchContext,
  key: string,
  params: TaskParams,
  outcome: string,
): Promise<string> {
  if (ctx.mode === "replay" && (await tasksExist(env, ctx.workspaceId, key))) return "duplicate";
  await startTasks(env, key, params);
  return outcome;
}
