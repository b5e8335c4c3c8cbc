import { sendWeeklyDigests, WEEKLY_DIGEST_CRON } from "../digest/send-digests";
import type { AppEnv } from "../env";
import { describeError, log } from "../log";
import { checkConnections } from "./connection-health";
import { checkWarnings } from "./connection-warnings";
import { purgeExpired } from "./purge";

/**
 * Everything the Cron Trigger runs (wrangler.toml `[triggers]`): the purge,
 * then the connection health check and its warnings. Each runs even if the other failed; a
 * failure is logged and rethrown so the invocation shows as failed.
 */
export async function runMaintenance(env: AppEnv, now: number): Promise<void> {
  const results = await Promise.allSettled([purgeExpired(env, now), checkHealth(env, now)]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  for (const failure of failed) log.error("maintenance failed", { reason: describeError(failure.reason) });
  if (failed.length) throw failed[0]?.reason;
}

/** The auth check first (it refreshes tokens and marks revoked grants), then the warnings judged from that. */
async function checkHealth(env: AppEnv, now: number): Promise<void> {
  await checkConnections(env, now);
  await checkWarnings(env, now);
}

/** The Cron Triggers' one entry (wrangler.toml `[triggers]`): the weekly digest on its own schedule, else maintenance. */
export async function runScheduled(env: AppEnv, cron: string, now: number): Promise<void> {
  if (cron === WEEKLY_DIGEST_CRON) {
    await sendWeeklyDigests(env, now);
    return;
  }
  await runMaintenance(env, now);
}
