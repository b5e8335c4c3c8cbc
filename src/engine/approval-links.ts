import type { SecretKeys } from "../crypto/secret-box";
import { signLink, verifyLink } from "../links/capability";
import { type PublicUrlEnv, publicUrl } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import type { VerifierKeys } from "../links/retired-keys";

/** What a verified approval link names. */
export interface ApprovalTarget {
  journeyId: string;
  step: string;
  /** When the link stops working (ms). */
  expiresAt: number;
}

/**
 * A stateless, unforgeable link token naming the journey and the gated step
 * (a capability link of purpose "approval": src/links/purposes.ts). `now` is
 * its issue time (ms); it expires 30 days later.
 */
export function approvalToken(keys: SecretKeys, journeyId: string, step: string, now = Date.now()): Promise<string> {
  return signLink(keys, LINK_PURPOSES.approval, { j: journeyId, s: step }, { issuedAt: now });
}

/** The owner's approval link `<public URL>/a/<token>` (built in a Workflow step: PUBLIC_URL must be set). */
export async function approvalUrl(env: SecretKeys & PublicUrlEnv, journeyId: string, step: string): Promise<string> {
  return `${publicUrl(env)}/a/${await approvalToken(env, journeyId, step)}`;
}

/** The target of a valid, unexpired token (current or previous key); a LinkError otherwise. */
export async function readApprovalToken(keys: VerifierKeys, token: string, now = Date.now()): Promise<ApprovalTarget> {
  const link = await verifyLink(keys, LINK_PURPOSES.approval, token, { now });
  return { journeyId: link.j, step: link.s, expiresAt: link.exp * 1000 };
}
