import { fromBase64, toBase64Url, utf8 } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { SecretKeys } from "../crypto/secret-box";

/** An emailed approval link works for as long as the step waits for it. */
const LINK_TTL_MS = 30 * 86_400_000;
const PURPOSE = "approval-link";

export interface ApprovalTarget {
  journeyId: string;
  step: string;
  expiresAt: number;
}

const fromBase64Url = (text: string) =>
  fromBase64(
    text
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(text.length / 4) * 4, "="),
  );

/**
 * A stateless, unforgeable link token naming the journey and the gated step:
 * `<payload>.<HMAC>` under a key derived from ENCRYPTION_KEY for this purpose
 * only (a survey or contract token never verifies as an approval).
 */
export async function approvalToken(keys: SecretKeys, journeyId: string, step: string, now: number): Promise<string> {
  const [key] = await purposeKeys(keys, PURPOSE);
  if (!key) throw new Error("no approval key");
  const payload = toBase64Url(utf8(JSON.stringify({ j: journeyId, s: step, e: now + LINK_TTL_MS })));
  return `${payload}.${toBase64Url(await signWithKey(key, payload))}`;
}

/** The target of a valid, unexpired token (current or previous key), else null. */
export async function readApprovalToken(
  keys: SecretKeys,
  token: string,
  now = Date.now(),
): Promise<ApprovalTarget | null> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || token.length > 1000) return null;
  let verified = false;
  for (const key of await purposeKeys(keys, PURPOSE)) {
    if (timingSafeEqual(toBase64Url(await signWithKey(key, payload)), signature)) verified = true;
  }
  if (!verified) return null;
  try {
    const body = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as {
      j?: unknown;
      s?: unknown;
      e?: unknown;
    };
    if (typeof body.j !== "string" || typeof body.s !== "string" || typeof body.e !== "number" || body.e < now)
      return null;
    return { journeyId: body.j, step: body.s, expiresAt: body.e };
  } catch {
    return null;
  }
}
