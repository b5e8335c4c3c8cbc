import type { AppEnv } from "../env";
import { OWN_WRITES_RETENTION_MS } from "../intake/hubspot-echo";
import { log } from "../log";
import { PURGE_TARGETS, type PurgeTarget, purgeBatch } from "../store/purge-batches";

const DAY_MS = 24 * 60 * 60_000;
/** Rate-limit rows are kept a day: far past the lead form's ten-minute window. */
const LEAD_SUBMISSIONS_RETENTION_MS = DAY_MS;
/**
 * Replay payloads of webhook events are kept 30 days (docs/operations.md,
 * "Retention"): the events page can replay an event for a month, the span
 * Stripe's own event list covers.
 */
export const WEBHOOK_PAYLOAD_RETENTION_MS = 30 * DAY_MS;
/**
 * Dispatched webhook event rows (the dedupe keys) are kept 90 days: far past
 * the longest automatic redelivery (Stripe retries for up to three days,
 * HubSpot and Notion for less), so a late redelivery is still recognised.
 */
export const WEBHOOK_EVENT_RETENTION_MS = 90 * DAY_MS;
/** Rows per statement, and statements per target per run: the rest waits for the next run. */
export const PURGE_BATCH_ROWS = 500;
export const PURGE_MAX_BATCHES = 40;

/** How many rows each purge deleted (webhookPayloads: how many payloads it blanked). */
export type PurgeReport = Record<PurgeTarget, number>;

/** Each target's cutoff at `now`: epoch ms, or ISO text where the column is text. */
function cutoffs(now: number): Record<PurgeTarget, number | string> {
  return {
    sessions: now,
    oauthStates: now,
    signInUsedStates: now,
    hubspotOwnWrites: now - OWN_WRITES_RETENTION_MS,
    leadSubmissions: now - LEAD_SUBMISSIONS_RETENTION_MS,
    webhookPayloads: new Date(now - WEBHOOK_PAYLOAD_RETENTION_MS).toISOString(),
    webhookEvents: new Date(now - WEBHOOK_EVENT_RETENTION_MS).toISOString(),
    retiredPurposeKeys: now,
  };
}

/**
 * The scheduled purge (Cron Trigger, wrangler.toml `[triggers]`): expired
 * sessions, OAuth states and used sign-in states (all refused on read once
 * expired), the journal of Clientflow's own HubSpot writes past its
 * retention, lead-form rate-limit rows past their window, and webhook events
 * past theirs (payloads after 30 days, dispatched rows after 90), and purpose
 * keys of a retired ENCRYPTION_KEY past their `usable_until`. Capability
 * links (contract, survey, approval, unsubscribe) are signed tokens, not
 * rows: nothing to delete. Journeys, their steps, contracts, leads, surveys
 * and unsubscribes are the business's records and are kept.
 *
 * Deletes in batches of {@link PURGE_BATCH_ROWS}, at most
 * {@link PURGE_MAX_BATCHES} per target per run (a backlog drains over a few
 * runs). Idempotent: an overlapping or repeated run deletes nothing twice.
 * Logs counts only.
 */
export async function purgeExpired(env: AppEnv, now: number): Promise<PurgeReport> {
  const limits = cutoffs(now);
  const report = Object.fromEntries(PURGE_TARGETS.map((t) => [t, 0])) as PurgeReport;
  for (const target of PURGE_TARGETS) {
    for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
      const changed = await purgeBatch(env.DB, target, limits[target], PURGE_BATCH_ROWS);
      report[target] += changed;
      if (changed < PURGE_BATCH_ROWS) break;
    }
  }
  log.info("maintenance purge", { ...report });
  return report;
}
