/** Sliding-window rate limit of lead form submissions per workspace and client (table `lead_submissions`). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts this submission against the client's window, or refuses it. The
 * check and the insert are one statement, so concurrent submissions cannot
 * both take the last slot. Rows older than the window are pruned as we go.
 */
export async function takeSubmissionSlot(
  db: D1Database,
  key: { workspaceId: string; clientKey: string },
  rate: RateLimit,
  now = Date.now(),
): Promise<RateDecision> {
  const since = now - rate.windowMs;
  const [, inserted] = await db.batch([
    db
      .prepare("DELETE FROM lead_submissions WHERE workspace_id = ?1 AND client_key = ?2 AND submitted_at <= ?3")
      .bind(key.workspaceId, key.clientKey, since),
    db
      .prepare(
        `INSERT INTO lead_submissions (workspace_id, client_key, submitted_at)
         SELECT ?1, ?2, ?3
         WHERE (SELECT COUNT(*) FROM lead_submissions
                WHERE workspace_id = ?1 AND client_key = ?2 AND submitted_at > ?4) < ?5`,
      )
      .bind(key.workspaceId, key.clientKey, now, since, rate.limit),
  ]);
  if ((inserted?.meta.changes ?? 0) > 0) return { allowed: true };
  const oldest = await db
    .prepare(
      `SELECT MIN(submitted_at) AS at FROM lead_submissions
       WHERE workspace_id = ? AND client_key = ? AND submitted_at > ?`,
    )
    .bind(key.workspaceId, key.clientKey, since)
    .first<{ at: number | null }>();
  const freeAt = (oldest?.at ?? now) + rate.windowMs;
  return { allowed: false, retryAfterMs: Math.max(1000, freeAt - now) };
}
