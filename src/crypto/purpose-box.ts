import { AppError } from "../errors";
import { fromBase64, toBase64Url, utf8 } from "./encoding";
import { derivePurposeBytes } from "./purpose-keys";
import type { SecretKeys } from "./secret-box";

/**
 * Sealing for values the app hands a browser and gets back (a flow cookie):
 * AES-256-GCM, which encrypts and authenticates (its tag is the MAC), under a
 * key derived for one `purpose` from ENCRYPTION_KEY (src/crypto/purpose-keys.ts),
 * so a value sealed for one purpose never opens as another and the master key
 * never encrypts anything itself. Form: `<iv>.<ciphertext+tag>`, base64url.
 */
async function aesKey(secret: string, purpose: string): Promise<CryptoKey> {
  const raw = await derivePurposeBytes(secret, `aes-gcm:${purpose}`);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const fromBase64Url = (text: string) => fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));

/** Seals `plaintext` for `purpose` under the current ENCRYPTION_KEY. */
export async function sealForPurpose(keys: SecretKeys, purpose: string, plaintext: string): Promise<string> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(purpose) },
    await aesKey(keys.ENCRYPTION_KEY, purpose),
    utf8(plaintext),
  );
  return `${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/**
 * Opens a value sealed for `purpose` under ENCRYPTION_KEY or, during a
 * rotation, ENCRYPTION_KEY_PREVIOUS. Null for anything malformed, tampered
 * or sealed under another key or purpose: the browser sent it, so it is
 * untrusted input, not a stored secret gone bad.
 */
export async function openForPurpose(keys: SecretKeys, purpose: string, sealed: string): Promise<string | null> {
  const [ivPart, dataPart, extra] = sealed.split(".");
  if (!ivPart || !dataPart || extra !== undefined || sealed.length > 4096) return null;
  let iv: Uint8Array<ArrayBuffer>;
  let data: Uint8Array<ArrayBuffer>;
  try {
    iv = fromBase64Url(ivPart);
    data = fromBase64Url(dataPart);
  } catch {
    return null;
  }
  if (iv.length !== 12) return null;
  for (const secret of [keys.ENCRYPTION_KEY, keys.ENCRYPTION_KEY_PREVIOUS]) {
    if (!secret) continue;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv, additionalData: utf8(purpose) },
        await aesKey(secret, purpose),
        data,
      );
      return new TextDecoder().decode(plain);
    } catch {
      // Not sealed under this key: try the previous one.
    }
  }
  return null;
}
