import { fromBase64, utf8 } from "../crypto/encoding";
import type { SecretKeys } from "../crypto/secret-box";
import { AppError } from "../errors";

/** Why a derived key is used; each purpose gets its own key, so one can never stand in for another. */
export type ContractKeyPurpose = "contract-token" | "contract-audit";

/**
 * Derives the HMAC-SHA256 key for `purpose` from one ENCRYPTION_KEY value:
 * `HMAC-SHA256(key = the 32 raw bytes of ENCRYPTION_KEY (base64-decoded),
 * message = UTF-8 purpose label)`, the 32-byte result imported as an HMAC
 * key. A one-block, HKDF-Expand-style derivation (RFC 5869 §2.3, without the
 * counter byte): the master key never signs anything itself, and a value
 * made for one purpose does not verify for another.
 */
export async function deriveContractKey(secret: string, purpose: ContractKeyPurpose): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(secret);
  } catch {
    throw new AppError("bad_encryption_key", "ENCRYPTION_KEY is not base64");
  }
  if (raw.length !== 32) throw new AppError("bad_encryption_key", "ENCRYPTION_KEY must be 32 bytes (base64)");
  const master = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const derived = await crypto.subtle.sign("HMAC", master, utf8(purpose));
  return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/**
 * The derived keys for `purpose`, current first, then the one from
 * ENCRYPTION_KEY_PREVIOUS (during a rotation). New values are made with the
 * first; checks accept either.
 */
export async function contractKeys(keys: SecretKeys, purpose: ContractKeyPurpose): Promise<CryptoKey[]> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const secrets = [keys.ENCRYPTION_KEY, keys.ENCRYPTION_KEY_PREVIOUS].filter((s): s is string => Boolean(s));
  return Promise.all(secrets.map((s) => deriveContractKey(s, purpose)));
}

/** HMAC-SHA256 of a UTF-8 message under a derived key. */
export async function signWith(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(message)));
}
