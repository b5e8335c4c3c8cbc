import { type EvidenceKey, evidenceKeys } from "../crypto/evidence-keys";
import type { AppEnv } from "../env";
import { listEvidenceKeys, recordEvidenceKey } from "../store/evidence-keys";

/*
 * Which evidence keys are published. The signing key is derived from
 * ENCRYPTION_KEY (src/crypto/evidence-keys.ts), so a rotation replaces it;
 * every public key that signed a pack is kept in D1 as it first signs, and
 * the JWKS lists them all, so an older pack still verifies after the
 * previous ENCRYPTION_KEY is gone.
 */

/** A published key: the public JWK with when it first signed a pack (null: it has not signed yet). */
export type PublishedEvidenceKey = Record<string, unknown> & { kid: string; firstUsedAt: string | null };

/**
 * The key that signs a new pack (ENCRYPTION_KEY's), recorded in D1 before it
 * signs: a pack whose key was not kept could stop verifying at the next
 * rotation, so a failed write fails the download.
 */
export async function signingEvidenceKey(env: AppEnv, now = new Date()): Promise<EvidenceKey> {
  const [key] = await evidenceKeys(env);
  if (!key) throw new Error("no evidence signing key");
  await recordEvidenceKey(env.DB, key, now.toISOString());
  return key;
}

/**
 * The JWKS of every evidence key, current first: ENCRYPTION_KEY's, then
 * ENCRYPTION_KEY_PREVIOUS's during a rotation, then every other key that
 * ever signed, most recently first used first. Each key carries
 * `firstUsedAt`, an extra JWK member that verifiers ignore (RFC 7517 §4).
 */
export async function publishedEvidenceJwks(env: AppEnv): Promise<{ keys: PublishedEvidenceKey[] }> {
  const [derived, stored] = await Promise.all([evidenceKeys(env), listEvidenceKeys(env.DB)]);
  const firstUse = new Map(stored.map((k) => [k.kid, k.firstUsedAt]));
  const keys: PublishedEvidenceKey[] = derived.map((k) => ({
    ...k.publicJwk,
    firstUsedAt: firstUse.get(k.kid) ?? null,
  }));
  for (const k of stored) {
    if (!keys.some((published) => published.kid === k.kid))
      keys.push({ ...k.publicJwk, kid: k.kid, firstUsedAt: k.firstUsedAt });
  }
  return { keys };
}
