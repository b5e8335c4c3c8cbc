import { toBase64Url } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { AppEnv } from "../env";

/** Faster than this from rendering to submitting is a bot, not a person typing. */
export const MIN_FILL_MS = 2_000;
/** A form left open longer than this is re-rendered with a fresh token (values kept). */
export const MAX_FORM_AGE_MS = 24 * 60 * 60 * 1000;

/** Purposes of the keys derived from ENCRYPTION_KEY (src/crypto/purpose-keys.ts): one per use. */
const TOKEN_PURPOSE = "lead-form-token";
const CLIENT_PURPOSE = "lead-rate-limit-client";

const signed = (workspaceId: string, issuedAt: number, nonce: string) => `${workspaceId}:${issuedAt}:${nonce}`;

/**
 * The hidden `_token` of a rendered form: `<issuedAt ms>.<nonce>.<HMAC>`.
 * The nonce names the submission (a resubmitted form is the same lead); the
 * timestamp lets the receiver refuse bot-fast and stale submissions.
 */
export async function issueFormToken(
  env: AppEnv,
  workspaceId: string,
  options: { now?: number; nonce?: string } = {},
): Promise<string> {
  const issuedAt = options.now ?? Date.now();
  const nonce = options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
  const [key] = await purposeKeys(env, TOKEN_PURPOSE);
  if (!key) throw new Error("ENCRYPTION_KEY is not set");
  return `${issuedAt}.${nonce}.${toBase64Url(await signWithKey(key, signed(workspaceId, issuedAt, nonce)))}`;
}

export type TokenCheck =
  | { ok: true; nonce: string; issuedAt: number }
  | { ok: false; reason: "missing" | "invalid" | "too_fast" | "expired" };

/** Verifies a form token for this workspace: signature, then age in both directions. */
export async function checkFormToken(
  env: AppEnv,
  workspaceId: string,
  token: string | undefined,
  now = Date.now(),
): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  const match = /^(\d{10,16})\.([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: "invalid" };
  const [, at = "", nonce = "", signature = ""] = match;
  const issuedAt = Number(at);
  let valid = false;
  for (const key of await purposeKeys(env, TOKEN_PURPOSE)) {
    const expected = toBase64Url(await signWithKey(key, signed(workspaceId, issuedAt, nonce)));
    if (timingSafeEqual(expected, signature)) valid = true;
  }
  if (!valid) return { ok: false, reason: "invalid" };
  const age = now - issuedAt;
  if (age < -60_000) return { ok: false, reason: "invalid" };
  if (age < MIN_FILL_MS) return { ok: false, reason: "too_fast" };
  if (age > MAX_FORM_AGE_MS) return { ok: false, reason: "expired" };
  return { ok: true, nonce, issuedAt };
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
