import { base64url } from "jose";
import { toBase64Url, toHex } from "../crypto/encoding";
import type { SecretKeys } from "../crypto/secret-box";
import { ValidationError } from "../errors";
import { signLink, verifyLink } from "../links/capability";
import { type PublicUrlEnv, publicUrl } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import type { VerifierKeys } from "../links/retired-keys";
import { emailHash } from "./opt-out";

export { isUnsubscribed } from "./opt-out";

/** What a verified unsubscribe token names. */
export interface UnsubscribeTarget {
  workspaceId: string;
  /** SHA-256 (hex) of the lower-cased address: the address itself is not in the link. */
  emailHash: string;
}

const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);

/**
 * The stateless token: a capability link of purpose "unsubscribe"
 * (src/links/purposes.ts) naming the workspace and the SHA-256 of the
 * address. Nothing is stored until the recipient confirms; the signature
 * makes it unforgeable. `now` is its issue time (ms).
 */
export async function unsubscribeToken(
  keys: SecretKeys,
  workspaceId: string,
  email: string,
  now = Date.now(),
): Promise<string> {
  if (!email.includes("@")) throw new ValidationError("Not an email address");
  const hash = toBase64Url(fromHex(await emailHash(email)));
  return signLink(keys, LINK_PURPOSES.unsubscribe, { w: workspaceId, e: hash }, { issuedAt: now });
}

/** The recipient's unsubscribe link `<public URL>/u/<token>` for one workspace. */
export async function unsubscribeUrl(
  env: SecretKeys & PublicUrlEnv,
  workspaceId: string,
  email: string,
): Promise<string> {
  const base = publicUrl(env);
  return `${base}/u/${await unsubscribeToken(env, workspaceId, email)}`;
}

/**
 * Verifies a token against the current and previous keys. Malformed,
 * truncated, forged or expired tokens throw a LinkError (a 404 page).
 */
export async function readUnsubscribeToken(
  keys: VerifierKeys,
  token: string,
  now?: number,
): Promise<UnsubscribeTarget> {
  const link = await verifyLink(keys, LINK_PURPOSES.unsubscribe, token, { now });
  return { workspaceId: link.w, emailHash: toHex(base64url.decode(link.e)) };
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
