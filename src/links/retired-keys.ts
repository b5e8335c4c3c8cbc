import { fromBase64 } from "../crypto/encoding";
import { importPurposeKey } from "../crypto/purpose-keys";
import { keyIdOf, open, type SecretKeys } from "../crypto/secret-box";
import { log } from "../log";
import { retiredKeyAssociatedData, usableRetiredPurposeKeys } from "../store/retired-purpose-keys";

/** What verifies links and signatures: the secrets, and D1 for the keys a rotation retired. */
export type VerifierKeys = SecretKeys & { DB: D1Database };

interface CachedKey {
  key: CryptoKey;
  usableUntil: number | null;
}

/**
 * Per isolate, a minute: a forged or retired-key link costs one D1 read a
 * minute per purpose, not one per request. Links under the current or
 * previous key never get here.
 */
const CACHE_MS = 60_000;
const cache = new Map<string, { loadedAt: number; keys: CachedKey[] }>();

/** Empties the cache (after a rotation stored keys; tests). */
export function forgetRetiredKeys(): void {
  cache.clear();
}

/**
 * The HMAC keys a rotation kept for `purpose` from retired ENCRYPTION_KEYs,
 * usable at `now` (epoch ms). A row that the current and previous key cannot
 * open (sealed under a key that is gone) is skipped and logged.
 */
export async function retiredPurposeKeys(env: VerifierKeys, purpose: string, now: number): Promise<CryptoKey[]> {
  const cacheKey = `${await keyIdOf(env.ENCRYPTION_KEY)}:${purpose}`;
  const wallClock = Date.now();
  let entry = cache.get(cacheKey);
  if (!entry || wallClock - entry.loadedAt >= CACHE_MS) {
    entry = { loadedAt: wallClock, keys: await loadKeys(env, purpose, Math.min(now, wallClock)) };
    cache.set(cacheKey, entry);
  }
  return entry.keys.filter((k) => k.usableUntil === null || k.usableUntil > now).map((k) => k.key);
}

async function loadKeys(env: VerifierKeys, purpose: string, since: number): Promise<CachedKey[]> {
  const keys: CachedKey[] = [];
  for (const row of await usableRetiredPurposeKeys(env.DB, purpose, since)) {
    try {
      const bytes = fromBase64(await open(env, row.sealedKey, retiredKeyAssociatedData(row.purpose, row.keyId)));
      keys.push({ key: await importPurposeKey(bytes), usableUntil: row.usableUntil });
    } catch {
      log.warn("retired purpose key unreadable", { purpose, code: row.keyId });
    }
  }
  return keys;
}
