import { toBase64Url } from "../crypto/encoding";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { AppEnv } from "../env";
import { LinkError, signLink, type VerifiedLink, verifyLink } from "../links/capability";
import { LINK_PURPOSES } from "../links/purposes";

/** Faster than this from rendering to submitting is a bot, not a person typing. */
export const MIN_FILL_MS = 2_000;
/** A form left open longer than this is re-rendered with a fresh token (values kept). */
export const MAX_FORM_AGE_MS = 24 * 60 * 60 * 1000;

/** Purpose of the rate-limit key derived from ENCRYPTION_KEY (src/crypto/purpose-keys.ts). */
const CLIENT_PURPOSE = "lead-rate-limit-client";
/** A token issued this far in the future (a skewed clock) still counts as now; further is forged. */
const FUTURE_SKEW_MS = 60_000;

/**
 * The hidden `_token` of a rendered form: a capability token of purpose
 * "leadForm" (src/links/purposes.ts) naming the workspace and a nonce, with
 * its issue time in ms. The nonce names the submission (a resubmitted form is
 * the same lead); the issue time lets the receiver refuse bot-fast and stale
 * submissions.
 */
export async function issueFormToken(
  env: AppEnv,
  workspaceId: string,
  options: { now?: number; nonce?: string } = {},
): Promise<string> {
  const nonce = options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
  const issuedAt = options.now ?? Date.now();
  return signLink(env, LINK_PURPOSES.leadForm, { w: workspaceId, n: nonce }, { issuedAt, withIssuedAt: true });
}

export type TokenCheck =
  | { ok: true; nonce: string; issuedAt: number }
  | { ok: false; reason: "missing" | "invalid" | "too_fast" | "expired" };

/** Verifies a form token for this workspace: signature and expiry, then age in both directions. */
export async function checkFormToken(
  env: AppEnv,
  workspaceId: string,
  token: string | undefined,
  now = Date.now(),
): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  let link: VerifiedLink<{ w: string; n: string }>;
  try {
    link = await verifyLink(env, LINK_PURPOSES.leadForm, token, { now });
  } catch (error) {
    if (error instanceof LinkError) return { ok: false, reason: error.reason };
    throw error;
  }
  if (link.w !== workspaceId || link.iat === undefined) return { ok: false, reason: "invalid" };
  const issuedAt = Math.round(link.iat * 1000);
  const age = now - issuedAt;
  if (age < -FUTURE_SKEW_MS) return { ok: false, reason: "invalid" };
  if (age < MIN_FILL_MS) return { ok: false, reason: "too_fast" };
  if (age > MAX_FORM_AGE_MS) return { ok: false, reason: "expired" };
  return { ok: true, nonce: link.n, issuedAt };
}

/**
 * A pseudonymous key for the client's IP (HMAC under a derived key), so the
 * rate limit works without storing the address.
 */
export async function clientKey(env: AppEnv, workspaceId: string, ip: string): Promise<string> {
  const [key] = await purposeKeys(env, CLIENT_PURPOSE);
  if (!key) throw new Error("ENCRYPTION_KEY is not set");
  return toBase64Url(await signWithKey(key, `${workspaceId}:${ip}`));
}
