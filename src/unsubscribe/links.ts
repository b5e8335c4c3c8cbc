import { fromBase64, toBase64Url, toHex, utf8 } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { SecretKeys } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { AppError, ValidationError } from "../errors";
import { emailHash } from "./opt-out";

export { isUnsubscribed } from "./opt-out";

const PURPOSE = "unsubscribe-token";
const VERSION = 1;
const HASH_BYTES = 32;
const MAC_BYTES = 32;
/** Longest workspace id a token carries (its length is one byte). */
const MAX_WORKSPACE_BYTES = 200;
/** Longer path segments are not tokens of ours: refused before any decoding. */
const MAX_TOKEN_CHARS = 512;

/** What a verified unsubscribe token names. */
export interface UnsubscribeTarget {
  workspaceId: string;
  /** SHA-256 (hex) of the lower-cased address: the address itself is not in the link. */
  emailHash: string;
}

const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);

/**
 * The stateless token: base64url of `version (1 byte) ‖ workspace id length
 * (1 byte) ‖ workspace id (UTF-8) ‖ SHA-256 of the address (32 bytes) ‖
 * HMAC-SHA256 of all of that (32 bytes)` under the "unsubscribe-token" key
 * derived from ENCRYPTION_KEY. Nothing is stored until the recipient
 * confirms; the HMAC makes it unforgeable.
 */
export async function unsubscribeToken(keys: SecretKeys, workspaceId: string, email: string): Promise<string> {
  const workspace = utf8(workspaceId);
  if (workspace.length === 0 || workspace.length > MAX_WORKSPACE_BYTES) {
    throw new ValidationError("Workspace id does not fit in an unsubscribe link");
  }
  if (!email.includes("@")) throw new ValidationError("Not an email address");
  const body = new Uint8Array(2 + workspace.length + HASH_BYTES);
  body.set([VERSION, workspace.length], 0);
  body.set(workspace, 2);
  body.set(fromHex(await emailHash(email)), 2 + workspace.length);
  const [key] = await purposeKeys(keys, PURPOSE);
  if (!key) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const mac = await signWithKey(key, body);
  const token = new Uint8Array(body.length + MAC_BYTES);
  token.set(body, 0);
  token.set(mac, body.length);
  return toBase64Url(token);
}

/**
 * The recipient's unsubscribe link `<origin>/u/<token>` for one workspace.
 * `origin` is the Worker's public origin (defaults to PUBLIC_URL).
 */
export async function unsubscribeUrl(
  env: AppEnv,
  origin: string | undefined,
  workspaceId: string,
  email: string,
): Promise<string> {
  const base = origin || env.PUBLIC_URL;
  let parsed: URL;
  try {
    parsed = new URL(base ?? "");
  } catch {
    throw new AppError("missing_public_url", "Unsubscribe links need a public origin (PUBLIC_URL)");
  }
  return `${parsed.origin}/u/${await unsubscribeToken(env, workspaceId, email)}`;
}

function decodeBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const padded = text
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(text.length / 4) * 4, "=");
  try {
    return fromBase64(padded);
  } catch {
    return null;
  }
}

/**
 * Verifies a token against the current and previous keys (constant-time
 * compare). Malformed, truncated or forged tokens give null, never an error.
 */
export async function readUnsubscribeToken(keys: SecretKeys, token: string): Promise<UnsubscribeTarget | null> {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const bytes = decodeBase64Url(token);
  if (!bytes || bytes.length < 2 || bytes[0] !== VERSION) return null;
  const workspaceLength = bytes[1] ?? 0;
  const bodyLength = 2 + workspaceLength + HASH_BYTES;
  if (workspaceLength === 0 || bytes.length !== bodyLength + MAC_BYTES) return null;
  const body = bytes.slice(0, bodyLength);
  const mac = toHex(bytes.subarray(bodyLength));
  let valid = false;
  for (const key of await purposeKeys(keys, PURPOSE)) {
    if (timingSafeEqual(toHex(await signWithKey(key, body)), mac)) valid = true;
  }
  if (!valid) return null;
  let workspaceId: string;
  try {
    workspaceId = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      body.subarray(2, 2 + workspaceLength),
    );
  } catch {
    return null;
  }
  return { workspaceId, emailHash: toHex(body.subarray(2 + workspaceLength)) };
}

/**
 * The headers a marketing-style email carries so mail clients show their own
 * unsubscribe button (RFC 2369 `List-Unsubscribe`) and may unsubscribe with
 * one POST (RFC 8058 `List-Unsubscribe-Post`; mail clients honour it only
 * when a valid DKIM signature covers both headers).
 */
export function listUnsubscribeHeaders(url: string): { "List-Unsubscribe": string; "List-Unsubscribe-Post": string } {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
