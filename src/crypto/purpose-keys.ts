import { AppError } from "../errors";
import { utf8 } from "./encoding";
import { masterKeyBytes, type SecretKeys } from "./secret-box";

/**
 * Derives the HMAC-SHA256 key for one `purpose` (e.g. "survey-token") from an
 * ENCRYPTION_KEY value: HMAC-SHA256(key = its 32 raw bytes, message = the
 * UTF-8 label), imported as an HMAC key. A one-block, HKDF-Expand-style
 * derivation (RFC 5869 §2.3 without the counter byte), the same scheme as
 * src/contracts/keys.ts: the master key never signs anything itself, and a
 * value made for one purpose never verifies for another. The key signs and
 * verifies (capability links verify through jose, src/links/capability.ts).
 */
export async function derivePurposeKey(secret: string, purpose: string): Promise<CryptoKey> {
  return importPurposeKey(await derivePurposeBytes(secret, purpose));
}

/**
 * Imports 32 derived bytes as an HMAC-SHA256 key: those of the current keys,
 * or the ones a key rotation kept from a retired key (src/links/retired-keys.ts).
 */
export function importPurposeKey(derived: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/**
 * The 32 derived bytes behind {@link derivePurposeKey}, for keys of another
 * algorithm (AES-GCM in src/crypto/purpose-box.ts, under its own labels).
 */
export async function derivePurposeBytes(secret: string, purpose: string): Promise<Uint8Array<ArrayBuffer>> {
  const raw = masterKeyBytes(secret);
  const master = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", master, utf8(purpose)));
}

/**
 * The derived keys for `purpose`: from ENCRYPTION_KEY first, then from
 * ENCRYPTION_KEY_PREVIOUS during a rotation. New values use the first;
 * checks accept either.
 */
export async function purposeKeys(keys: SecretKeys, purpose: string): Promise<CryptoKey[]> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const secrets = [keys.ENCRYPTION_KEY, keys.ENCRYPTION_KEY_PREVIOUS].filter((s): s is string => Boolean(s));
  return Promise.all(secrets.map((s) => derivePurposeKey(s, purpose)));
}

/** HMAC-SHA256 of `message` (bytes or UTF-8 text) under a derived key. */
export async function signWithKey(key: CryptoKey, message: Uint8Array<ArrayBuffer> | string): Promise<Uint8Array> {
  const data = typeof message === "string" ? utf8(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}
