import { utf8 } from "./encoding";

/** How many imported keys the isolate keeps: the platform secrets plus the recent tenants' endpoint secrets. */
const KEY_CACHE_LIMIT = 64;
/**
 * Imported signing keys by secret, most recently used last. Webhook verification signs every delivery under the
 * same few secrets; importing the key each time cost an allocation-heavy WebCrypto call per delivery. The map
 * lives in the isolate's memory only (as the secret does while it verifies), never in storage or a log. The
 * resolved key is kept, not the promise: a promise made for one request must not be awaited by another.
 */
const signingKeys = new Map<string, CryptoKey>();

async function signingKey(secret: string): Promise<CryptoKey> {
  const cached = signingKeys.get(secret);
  if (cached) {
    signingKeys.delete(secret);
    signingKeys.set(secret, cached);
    return cached;
  }
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  signingKeys.set(secret, key);
  if (signingKeys.size > KEY_CACHE_LIMIT) signingKeys.delete(signingKeys.keys().next().value as string);
  return key;
}

/** HMAC-SHA256 of `message` under `secret` (WebCrypto). */
export async function hmacSha256(secret: string, message: Uint8Array<ArrayBuffer> | string): Promise<Uint8Array> {
  const key = await signingKey(secret);
  const data = typeof message === "string" ? utf8(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/**
 * Constant-time comparison of two strings of equal length (signatures are
 * compared in their encoded form). Different lengths return false at once:
 * the length of a signature is not secret.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = utf8(a);
  const right = utf8(b);
  if (left.length !== right.length) return false;
  const subtle = crypto.subtle as SubtleCrypto & {
    timingSafeEqual?: (x: ArrayBufferView, y: ArrayBufferView) => boolean;
  };
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(left, right);
  let diff = 0;
  for (let i = 0; i < left.length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

/** The non-empty secrets of a `[current, previous]` rotation pair. */
export function secretPair(current: string | undefined, previous: string | undefined): string[] {
  return [current, previous].filter((s): s is string => typeof s === "string" && s.length > 0);
}
