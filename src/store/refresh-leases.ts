/**
 * The refresh lease on a `connections` row: across isolates, at most one
 * caller refreshes a connection's token at a time. The lease is a deadline
 * (epoch ms) in `refresh_lease_until` and its holder's random token in
 * `refresh_lease_owner`; an expired lease may be taken over, so a caller that
 * died holding it blocks the others only until it runs out, and a caller whose
 * lease was taken over can no longer release or renew it.
 */

/**
 * Takes the connection's lease for `owner` until `until` if nobody holds it
 * at `now` (no lease, or one that ran out). True when this call took it.
 */
export async function takeRefreshLease(
  db: D1Database,
  connectionId: number,
  owner: string,
  now: number,
  until: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE connections SET refresh_lease_until = ?1, refresh_lease_owner = ?4
       WHERE id = ?2 AND (refresh_lease_until IS NULL OR refresh_lease_until < ?3)`,
    )
    .bind(until, connectionId, now, owner)
    .run();
  return result.meta.changes > 0;
}

/**
 * Extends `owner`'s lease to `until` while `owner` still holds it (it has not
 * run out at `now`). True when extended.
 */
export async function renewRefreshLease(
  db: D1Database,
  connectionId: number,
  owner: string,
  now: number,
  until: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE connections SET refresh_lease_until = ?1
       WHERE id = ?2 AND refresh_lease_owner = ?3 AND refresh_lease_until >= ?4`,
    )
    .bind(until, connectionId, owner, now)
    .run();
  return result.meta.changes > 0;
}

/**
 * Gives `owner`'s lease back; a lease someone else holds now is left alone.
 * `refreshed` also stamps `last_refreshed_at` (shown on the connections page;
 * the token was refreshed whoever holds the lease now), a failed refresh
 * leaves it as it was.
 */
export async function releaseRefreshLease(
  db: D1Database,
  connectionId: number,
  owner: string,
  refreshed: boolean,
): Promise<void> {
  await db
    .prepare(
      `UPDATE connections SET
         refresh_lease_until = CASE WHEN refresh_lease_owner = ?3 THEN NULL ELSE refresh_lease_until END,
         refresh_lease_owner = CASE WHEN refresh_lease_owner = ?3 THEN NULL ELSE refresh_lease_owner END,
         last_refreshed_at = CASE WHEN ?2 THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE last_refreshed_at END
       WHERE id = ?1`,
    )
    .bind(connectionId, refreshed ? 1 : 0, owner)
    .run();
}
