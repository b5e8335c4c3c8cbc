import { LINK_PURPOSES } from "./purposes";

/**
 * One purpose whose derived key verifies something made earlier (a link in
 * an email, a stored signature), and how long such a thing can need
 * verifying after it was made: seconds, or null for as long as the record
 * that carries it is kept.
 */
export interface VerificationPurpose {
  /** The derivation label (src/crypto/purpose-keys.ts). */
  readonly label: string;
  readonly lifetimeSeconds: number | null;
}

/**
 * Every purpose key a key rotation carries forward (src/links/retired-keys.ts):
 * the retired key's derived bytes for each are kept until the rotation time
 * plus the lifetime, so ENCRYPTION_KEY_PREVIOUS can go as soon as
 * `npm run rotate-key` has run without breaking anything already handed out.
 *
 * - Each capability link (src/links/purposes.ts), for its own lifetime: a
 *   link signed just before the rotation lives that long.
 * - "contract-audit" (src/contracts/audit.ts): the signature stored with each
 *   accepted contract. Contracts are never purged, so neither is its key.
 *
 * Not carried forward, because they live minutes and a person simply starts
 * again: the owner sign-in state and cookie (src/auth/sign-in-flow.ts, ten
 * minutes) and the operator forms' CSRF token (src/operator/guard.ts, made
 * afresh on each page). The lead form's rate-limit key
 * (src/leads/form-token.ts) verifies nothing: a new key only starts new
 * ten-minute windows.
 */
export const VERIFICATION_PURPOSES: readonly VerificationPurpose[] = [
  ...Object.values(LINK_PURPOSES).map((p) => ({ label: p.label, lifetimeSeconds: p.ttlSeconds })),
  { label: "contract-audit", lifetimeSeconds: null },
];
