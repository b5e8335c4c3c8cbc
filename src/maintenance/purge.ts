import type { AppEnv } from "../env";
import { OWN_WRITES_RETENTION_MS } from "../intake/hubspot-echo";
import { log } from "../log";
import { purgeOwnWrites } from "../store/hubspot-own-writes";
import { purgeLeadSubmissions } from "../store/lead-submissions";
import { purgeExpiredOAuthStates } from "../store/oauth-states";
import { purgeExpiredSessions } from "../store/sessions";

/** Rate-limit rows are kept a day: far past the lead form's ten-minute window. */
const LEAD_SUBMISSIONS_RETENTION_MS = 24 * 60 * 60_000;

/** How many rows each purge deleted. */
export interface PurgeReport {
  sessions: number;
  oauthStates: number;
  hubspotOwnWrites: number;
  leadSubmissions: number;
}

/**
 * The scheduled purge (Cron Trigger, wrangler.toml `[triggers]`): expired
 * sessions and OAuth states (both unusable once expired: they are refused on
 * read; the OAuth count includes the used owner sign-in states, written only
 * at the callback), the journal of Clientflow's own HubSpot writes past its retention,
 * and lead-form rate-limit rows past their window. Capability links
 * (contract, survey, approval, unsubscribe) are signed tokens, not rows:
 * they expire by their own `exp` and with their journey, with nothing to
 * delete. Idempotent: a run that
 * overlaps another deletes nothing twice. Logs counts only.
 */
export async function purgeExpired(env: AppEnv, now: number): Promise<PurgeReport> {
  const report: PurgeReport = {
    sessions: await purgeExpiredSessions(env.DB, now),
    oauthStates: await purgeExpiredOAuthStates(env.DB, now),
    hubspotOwnWrites: await purgeOwnWrites(env.DB, now - OWN_WRITES_RETENTION_MS),
    leadSubmissions: await purgeLeadSubmissions(env.DB, now - LEAD_SUBMISSIONS_RETENTION_MS),
  };
  log.info("maintenance purge", { ...report });
  return report;
}
