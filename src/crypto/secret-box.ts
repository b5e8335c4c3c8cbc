import { AppError } from "../errors";
import { fromBase64, toBase64, utf8 } from "./encoding";

/**
 * AES-256-GCM envelope for credentials at rest. The stored form is
 * `v1.<keyId>.<iv>.<ciphertext>` (base64 parts); the associated data binds a
 * ciphertext to its row (e.g. `workspace:provider`), so a blob copied to
 * another row does not decrypt. `keyId` names which secret sealed it, so the
 * key can rotate: new writes use ENCRYPTION_KEY, reads also try
 * ENCRYPTION_KEY_PREVIOUS.
 */
export interface SecretKeys {
  ENCRYPTION_KEY: string;
  ENCRYPTION_KEY_PREVIOUS?: string;
}

/** The 32 raw bytes of an ENCRYPTION_KEY value, or a clear error. */
export function masterKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(secret);
  } catch {
    throw new AppError("bad_encryption_key", "ENCRYPTION_KEY is not base64");
  }
  if (raw.length !== 32) throw new AppError("bad_encryption_key", "ENCRYPTION_KEY must be 32 bytes (base64)");
  return raw;
}

/**
 * Imported keys of this isolate, by the ENCRYPTION_KEY value they came from: every connection read decrypts,
 * and importing (a digest and an import) cost as much as the decryption. The resolved key is kept, never a
 * pending promise (workerd ties a promise to the request that made it). The key is not extractable. A few
 * entries at most (the current and the previous key); kept small when tests use many.
 */
const imported = new Map<string, { key: CryptoKey; id: string }>();
const MAX_IMPORTED = 8;

async function importKey(secret: string): Promise<{ key: CryptoKey; id: string }> {
  const kept = imported.get(secret);
  if (kept) return kept;
  const raw = masterKeyBytes(secret);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const id = toBase64(digest.subarray(0, 6)).replace(/[+/=]/g, "");
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  if (imported.size >= MAX_IMPORTED) imported.clear();
  imported.set(secret, { key, id });
  return { key, id };
}

/**
 * The key id of an ENCRYPTION_KEY value: the one its sealed values carry
 * (six bytes of its SHA-256, so it names the key without revealing it).
 */
export async function keyIdOf(secret: string): Promise<string> {
  return (await importKey(secret)).id;
}

export async function seal(keys: SecretKeys, plaintext: string, associatedData: string): Promise<string> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const { key, id } = await importKey(keys.ENCRYPTION_KEY);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(associatedData) },
    key,
    utf8(plaintext),
  );
  return `v1.${id}.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

export async function open(keys: SecretKeys, sealed: string, associatedData: string): Promise<string> {
  const [version, keyId, ivPart, dataPart] = sealed.split(".");
  if (version !== "v1" || !keyId || !ivPart || !dataPart) {
    throw new AppError("bad_ciphertext", "Stored credential has an unknown format");
  }
  for (const secret of [keys.ENCRYPTION_KEY, keys.ENCRYPTION_KEY_PREVIOUS]) {
    if (!secret) continue;
    const { key, id } = await importKey(secret);
    if (id !== keyId) continue;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(ivPart), additionalData: utf8(associatedData) },
        key,
        fromBase64(dataPart),
      );
      return new TextDecoder().decode(plain);
    } catch (cause) {
      throw new AppError("bad_ciphertext", "Stored credential failed to decrypt", 400, { cause });
    }
  }
  throw new AppError("unknown_encryption_key", "Stored credential was sealed with a key that is not configured");
}

/**
 * Whether a stored value was sealed under the current ENCRYPTION_KEY (its
 * key id matches), without decrypting it: key rotation
 * (src/operator/rotate-key.ts) leaves such values alone.
 */
export async function sealedUnderCurrentKey(keys: SecretKeys, sealed: string): Promise<boolean> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const [version, keyId] = sealed.split(".");
  return version === "v1" && keyId === (await importKey(keys.ENCRYPTION_KEY)).id;
}
