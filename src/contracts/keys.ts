import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { SecretKeys } from "../crypto/secret-box";

/**
 * Why a derived key is used; each purpose gets its own key, so one can never
 * stand in for another. (Contract links are capability links: src/links/purposes.ts.)
 */
export type ContractKeyPurpose = "contract-audit";

/**
 * The HMAC-SHA256 keys for `purpose`, each derived from an ENCRYPTION_KEY
 * value as `HMAC-SHA256(key = its 32 raw bytes (base64-decoded), message =
 * the UTF-8 purpose label)` (src/crypto/purpose-keys.ts): the one from
 * ENCRYPTION_KEY first, then the one from ENCRYPTION_KEY_PREVIOUS during a
 * rotation. New values are made with the first; checks accept either. The
 * master key never signs anything itself.
 */
export function contractKeys(keys: SecretKeys, purpose: ContractKeyPurpose): Promise<CryptoKey[]> {
  return purposeKeys(keys, purpose);
}

/** HMAC-SHA256 of a UTF-8 message under a derived key. */
export function signWith(key: CryptoKey, message: string): Promise<Uint8Array> {
  return signWithKey(key, message);
}
