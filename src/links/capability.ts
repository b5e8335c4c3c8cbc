import { errors, jwtVerify, SignJWT } from "jose";
import type { z } from "zod";
import { purposeKeys } from "../crypto/purpose-keys";
import type { SecretKeys } from "../crypto/secret-box";
import { AppError } from "../errors";
import { retiredPurposeKeys, type VerifierKeys } from "./retired-keys";

/**
 * One kind of capability link (approval, unsubscribe, survey, …): the label
 * its signing key is derived under, how long a link lives, and the claims it
 * carries. Claim names are short on purpose: they travel in emailed URLs.
 */
export interface LinkPurpose<Claims extends Record<string, unknown>> {
  /** Key-derivation label (src/crypto/purpose-keys.ts): one key per purpose, so no link stands in for another. */
  readonly label: string;
  /** Lifetime of a link from its issue time, in seconds. */
  readonly ttlSeconds: number;
  /** The purpose's own claims (registered claims such as `exp` are added and checked here). */
  readonly claims: z.ZodType<Claims>;
}

/** Declares a purpose; the type of its claims comes from the schema. */
export function linkPurpose<Claims extends Record<string, unknown>>(purpose: LinkPurpose<Claims>): LinkPurpose<Claims> {
  return purpose;
}

/** Why a link was refused. `expired` only for a link that verified but outlived its purpose's lifetime. */
export type LinkFailure = "invalid" | "expired";

/**
 * The one error of capability links: malformed, forged, tampered, wrong
 * purpose or unknown key are all `invalid`; `expired` is told apart so a page
 * can say so. A 404 on the wire: a link that opens nothing.
 */
export class LinkError extends AppError {
  override name = "LinkError";
  constructor(
    readonly purpose: string,
    readonly reason: LinkFailure,
    options?: { cause?: unknown },
  ) {
    super(
      reason === "expired" ? "link_expired" : "link_invalid",
      reason === "expired" ? "This link has expired" : "This link is not valid",
      404,
      options,
    );
  }
}

/** A verified link: the purpose's claims plus its expiry (and issue time, when it carries one). */
export type VerifiedLink<Claims> = Claims & { exp: number; iat?: number };

/** Longer path segments are not links of ours: refused before any crypto. */
const MAX_TOKEN_CHARS = 1024;
const ALGORITHM = "HS256";

/**
 * Signs a link token for `purpose`: a compact JWS (JWT, HS256) under the
 * purpose's key derived from ENCRYPTION_KEY, expiring `ttlSeconds` after
 * `issuedAt` (ms; default now). The same claims and issue time under the same
 * key give the same token, so a retried step rebuilds the link it sent.
 * `withIssuedAt` adds `iat` (ms precision, as fractional seconds) for
 * purposes that check a token's age themselves.
 */
export async function signLink<Claims extends Record<string, unknown>>(
  keys: SecretKeys,
  purpose: LinkPurpose<Claims>,
  claims: Claims,
  options: { issuedAt?: number; withIssuedAt?: boolean } = {},
): Promise<string> {
  const [key] = await purposeKeys(keys, purpose.label);
  if (!key) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const issuedAt = options.issuedAt ?? Date.now();
  const jwt = new SignJWT(purpose.claims.parse(claims))
    .setProtectedHeader({ alg: ALGORITHM })
    .setExpirationTime(Math.floor(issuedAt / 1000) + purpose.ttlSeconds);
  if (options.withIssuedAt) jwt.setIssuedAt(issuedAt / 1000);
  return jwt.sign(key);
}

/**
 * Verifies a link token for `purpose` against the current key, then the one
 * from ENCRYPTION_KEY_PREVIOUS, then the keys a rotation kept from retired
 * keys (src/links/retired-keys.ts; read only when the others fail), checks
 * its expiry at `now` (ms; default now) and parses its claims. Any failure
 * is a {@link LinkError}.
 */
export async function verifyLink<Claims extends Record<string, unknown>>(
  keys: VerifierKeys,
  purpose: LinkPurpose<Claims>,
  token: string,
  options: { now?: number } = {},
): Promise<VerifiedLink<Claims>> {
  if (!token || token.length > MAX_TOKEN_CHARS) throw new LinkError(purpose.label, "invalid");
  const now = options.now ?? Date.now();
  const verified =
    (await verifyWithAny(await purposeKeys(keys, purpose.label), purpose, token, now)) ??
    (await verifyWithAny(await retiredPurposeKeys(keys, purpose.label, now), purpose, token, now));
  if (!verified) throw new LinkError(purpose.label, "invalid");
  return verified;
}

/** The verified link under the first of `candidates` that signed it; undefined when none did. */
async function verifyWithAny<Claims extends Record<string, unknown>>(
  candidates: CryptoKey[],
  purpose: LinkPurpose<Claims>,
  token: string,
  now: number,
): Promise<VerifiedLink<Claims> | undefined> {
  const invalid = (cause?: unknown) => new LinkError(purpose.label, "invalid", { cause });
  const currentDate = new Date(now);
  for (const key of candidates) {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], currentDate, requiredClaims: ["exp"] }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      if (error instanceof errors.JWTExpired) throw new LinkError(purpose.label, "expired", { cause: error });
      throw invalid(error);
    }
    const claims = purpose.claims.safeParse(payload);
    if (!claims.success) throw invalid(claims.error);
    const { exp, iat } = payload;
    return { ...claims.data, exp: Number(exp), ...(typeof iat === "number" ? { iat } : {}) };
  }
  return undefined;
}
