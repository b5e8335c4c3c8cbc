/**
 * One bounded batch of the scheduled maintenance (src/maintenance/purge.ts):
 * each statement touches at most `limit` rows (a rowid sub-select with LIMIT,
 * since D1's SQLite has no `DELETE … LIMIT`), so no single statement runs
 * into D1's per-query time limit however much has piled up. The caller loops
 * until a batch comes back short. Every statement is idempotent: a row past
 * its cutoff is gone (or blanked) after the first run, and a second run finds
 * nothing. Old event rows go before old payloads, so no payload is blanked
 * in a row about to be deleted.
 */
const STATEMENTS = {
  /** Sessions past their expiry (epoch ms): refused on read already. */
  sessions: "DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at <= ?1 LIMIT ?2)",
  /** Connect-flow OAuth states past their expiry (epoch ms), never used. */
  oauthStates:
    "DELETE FROM oauth_states WHERE rowid IN (SELECT rowid FROM oauth_states WHERE expires_at <= ?1 LIMIT ?2)",
  /** Used owner sign-in states past the state's own expiry: a replay is refused as expired by then. */
  signInUsedStates:
    "DELETE FROM sign_in_used_states WHERE rowid IN (SELECT rowid FROM sign_in_used_states WHERE expires_at <= ?1 LIMIT ?2)",
  /** The journal of Clientflow's own HubSpot writes, before the cutoff (epoch ms). */
  hubspotOwnWrites:
    "DELETE FROM hubspot_own_writes WHERE rowid IN (SELECT rowid FROM hubspot_own_writes WHERE written_at < ?1 LIMIT ?2)",
  /** Lead-form rate-limit rows before the cutoff (epoch ms). */
  leadSubmissions:
    "DELETE FROM lead_submissions WHERE id IN (SELECT id FROM lead_submissions WHERE submitted_at < ?1 LIMIT ?2)",
  /** Dispatched webhook event rows received before the cutoff (ISO text): past every provider's redelivery. */
  webhookEvents: `DELETE FROM webhook_events WHERE id IN (
      SELECT id FROM webhook_events WHERE received_at < ?1 AND processed_at IS NOT NULL LIMIT ?2)`,
  /**
   * Replay payloads of dispatched webhook events received before the cutoff
   * (ISO text): the row stays for dedupe and the events page, it just can no
   * longer be replayed. An undispatched event keeps its payload.
   */
  webhookPayloads: `UPDATE webhook_events SET payload = NULL WHERE id IN (
      SELECT id FROM webhook_events WHERE received_at < ?1 AND payload IS NOT NULL AND processed_at IS NOT NULL
      LIMIT ?2)`,
  /**
   * Purpose keys of a retired ENCRYPTION_KEY past `usable_until` (epoch ms):
   * everything they verified has expired. NULL (contract audit) is kept.
   */
  retiredPurposeKeys: `DELETE FROM retired_purpose_keys WHERE rowid IN (
      SELECT rowid FROM retired_purpose_keys WHERE usable_until <= ?1 LIMIT ?2)`,
} as const;

/** What one maintenance batch can clear. */
export type PurgeTarget = keyof typeof STATEMENTS;

/** The targets in the order the maintenance runs them. */
export const PURGE_TARGETS = Object.keys(STATEMENTS) as PurgeTarget[];

/**
 * Runs one batch for `target`: rows past `cutoff` (epoch ms, or ISO text for
 * webhook events), at most `limit` of them. Returns how many it changed.
 */
export async function purgeBatch(
  db: D1Database,
  target: PurgeTarget,
  cutoff: number | string,
  limit: number,
): Promise<number> {
  const result = await db.prepare(STATEMENTS[target]).bind(cutoff, limit).run();
  return result.meta.changes;
}
