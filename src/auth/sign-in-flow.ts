import { z } from "zod";
import { toBase64Url } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import { openForPurpose, sealForPurpose } from "../crypto/purpose-box";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { SecretKeys } from "../crypto/secret-box";
import { AppError } from "../errors";
import { randomToken } from "../store/sessions";

/** A sign-in must come back from Google within ten minutes (as the connect flows' states). */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;
const STATE_LABEL = "sign-in-state";
const COOKIE_LABEL = "sign-in-flow";

/** What the callback needs from the start of a sign-in; it travels sealed in the flow cookie, never stored. */
export interface SignInFlow {
  state: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  expiresAt: number;
}

const sealedFlow = z.object({
  s: z.string(),
  v: z.string(),
  n: z.string(),
  r: z.string().startsWith("/"),
  e: z.number().int(),
});

const stateMac = async (key: CryptoKey, body: string) => toBase64Url(await signWithKey(key, body));

/**
 * Starts a sign-in without writing anything: a `state` that carries its own
 * expiry and a MAC (so the callback can tell a genuine state from a guessed
 * one before it records it as used), the PKCE verifier and OIDC nonce, and
 * the cookie value that seals all of them with the return path.
 */
export async function startSignInFlow(
  keys: SecretKeys,
  returnTo: string,
  now = Date.now(),
): Promise<{ flow: SignInFlow; cookie: string }> {
  const expiresAt = now + SIGN_IN_TTL_MS;
  const [key] = await purposeKeys(keys, STATE_LABEL);
  if (!key) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const body = `${randomToken()}.${expiresAt.toString(36)}`;
  const state = `${body}.${await stateMac(key, body)}`;
  const flow = { state, codeVerifier: randomToken(48), nonce: randomToken(16), returnTo, expiresAt };
  const cookie = await sealForPurpose(
    keys,
    COOKIE_LABEL,
    JSON.stringify({ s: state, v: flow.codeVerifier, n: flow.nonce, r: returnTo, e: expiresAt }),
  );
  return { flow, cookie };
}

/**
 * A `state` this app issued that has not expired at `now`: its expiry, else
 * null (unknown, forged or expired). Whether it was used is the store's to say.
 */
export async function verifySignInState(keys: SecretKeys, state: string, now = Date.now()): Promise<number | null> {
  const parts = state.split(".");
  if (parts.length !== 3 || state.length > 200) return null;
  const [random, expiry, mac] = parts as [string, string, string];
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  for (const key of await purposeKeys(keys, STATE_LABEL)) {
    if (timingSafeEqual(await stateMac(key, `${random}.${expiry}`), mac)) return expiresAt;
  }
  return null;
}

/**
 * The flow sealed in this browser's cookie, if it is the one `state` belongs
 * to and has not expired; null when the cookie is missing (another browser),
 * tampered, or for another sign-in.
 */
export async function openSignInFlow(
  keys: SecretKeys,
  cookie: string | undefined,
  state: string,
  now = Date.now(),
): Promise<SignInFlow | null> {
  if (!cookie) return null;
  const plain = await openForPurpose(keys, COOKIE_LABEL, cookie);
  if (!plain) return null;
  let parsed: z.infer<typeof sealedFlow>;
  try {
    parsed = sealedFlow.parse(JSON.parse(plain));
  } catch {
    return null;
  }
  if (!timingSafeEqual(parsed.s, state) || parsed.e <= now) return null;
  return { state: parsed.s, codeVerifier: parsed.v, nonce: parsed.n, returnTo: parsed.r, expiresAt: parsed.e };
}
