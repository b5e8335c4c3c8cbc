/**
 * The `retired_purpose_keys` table (migration 0020): purpose keys derived
 * from a retired ENCRYPTION_KEY, sealed under the current one, kept so old
 * links and audit signatures still verify (src/links/retired-keys.ts).
 */

/** One stored retired key. */
export interface RetiredPurposeKeyRow {
  purpose: string;
  keyId: string;
  /** The derived bytes (base64), sealed with src/crypto/secret-box.ts. */
  sealedKey: string;
  retiredAt: number;
  /** Epoch ms; null: kept as long as the records it verifies. */
  usableUntil: number | null;
}

/** The associated data a retired key is sealed with: bound to its purpose and key id. */
export const retiredKeyAssociatedData = (purpose: string, keyId: string) => `retired-purpose-key:${purpose}:${keyId}`;

/**
 * Stores a retired key unless one for the same purpose and retired key is
 * there already (a rotation run twice keeps the first row, and with it the
 * first run's `usable_until`). True when stored now.
 */
export async function addRetiredPurposeKey(db: D1Database, row: RetiredPurposeKeyRow): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO retired_purpose_keys (purpose, key_id, sealed_key, retired_at, usable_until)
       VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (purpose, key_id) DO NOTHING`,
    )
    .bind(row.purpose, row.keyId, row.sealedKey, row.retiredAt, row.usableUntil)
    .run();
  return result.meta.changes > 0;
}

/** The retired keys of `purpose` still usable at `now` (epoch ms), newest first. */
export async function usableRetiredPurposeKeys(
  db: D1Database,
  purpose: string,
  now: number,
): Promise<RetiredPurposeKeyRow[]> {
  const { results } = await db
    .prepare(
      `SELECT purpose, key_id AS keyId, sealed_key AS sealedKey, retired_at AS retiredAt, usable_until AS usableUntil
       FROM retired_purpose_keys WHERE purpose = ?1 AND (usable_until IS NULL OR usable_until > ?2)
       ORDER BY retired_at DESC`,
    )
    .bind(purpose, now)
    .all<RetiredPurposeKeyRow>();
  return results;
}
