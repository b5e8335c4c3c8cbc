/**
 * The public keys that signed agreement evidence packs (migration 0019):
 * kept after a key rotation so every pack still verifies against the
 * published JWKS. Public keys are not secrets; nothing here is sealed.
 */

/** A stored public evidence key. */
export interface StoredEvidenceKey {
  kid: string;
  /** The public JWK as it was published. */
  publicJwk: Record<string, unknown>;
  /** When the key first signed a pack (ISO-8601 UTC). */
  firstUsedAt: string;
}

/**
 * Records a key as it signs; a key already recorded keeps its first-use
 * time (signing again, or a concurrent first signature, changes nothing).
 */
export async function recordEvidenceKey(
  db: D1Database,
  key: { kid: string; publicJwk: Record<string, unknown> },
  usedAt: string,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO evidence_keys (kid, public_jwk, first_used_at) VALUES (?1, ?2, ?3)
       ON CONFLICT(kid) DO NOTHING`,
    )
    .bind(key.kid, JSON.stringify(key.publicJwk), usedAt)
    .run();
}

/** Every recorded key, most recently first used first. */
export async function listEvidenceKeys(db: D1Database): Promise<StoredEvidenceKey[]> {
  const { results } = await db
    .prepare("SELECT kid, public_jwk, first_used_at FROM evidence_keys ORDER BY first_used_at DESC, kid")
    .all<{ kid: string; public_jwk: string; first_used_at: string }>();
  return results.map((row) => ({
    kid: row.kid,
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    firstUsedAt: row.first_used_at,
  }));
}
