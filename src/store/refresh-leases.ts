/**
 * The refresh lease on a `connections` row: across isolates, at most one
 * caller refreshes a connection's token at a time. The lease is a deadline
 * (epoch ms) in `refresh_lease_until`; an expired one may be taken over, so a
 * caller that died holding it blocks the others only until it runs out.
 */

/**
 * Takes the connection's lease until `until` if nobody holds it at `now`
 * (no lease, or one that ran out). True when this call took it.
 */
export async function takeRefreshLease(
  db: D1Database,
  connectionId: number,
  now: number,
  until: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE connections SET refresh_lease_until = ?1
       WHERE id = ?2 AND (refresh_lease_until IS NULL OR refresh_lease_until < ?3)`,
    )
    .bind(until, connectionId, now)
    .run();
  return result.meta.changes > 0;
}

/**
 * Gives the lease back; `refreshed` also stamps `last_refreshed_at` (shown on
 * the connections page), a failed refresh leaves it as it was.
 */
export async function releaseRefreshLease(db: D1Database, connectionId: number, refreshed: boolean): Promise<void> {
  await db
    .prepare(
      `UPDATE connections SET refresh_lease_until = NULL,
         last_refreshed_at = CASE WHEN ?2 THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE last_refreshed_at END
       WHERE id = ?1`,
    )
    .bind(connectionId, refreshed ? 1 : 0)
    .run();
}
