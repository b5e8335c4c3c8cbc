import { sha256Hex } from "../crypto/encoding";
import { isHashUnsubscribed } from "../store/unsubscribes";

/**
 * The hash an address is stored and signed under: SHA-256 (hex) of the
 * trimmed, lower-cased address. The address itself is never stored.
 */
export function emailHash(email: string): Promise<string> {
  return sha256Hex(email.trim().toLowerCase());
}

/**
 * Whether `email` opted out of this workspace's marketing-style emails
 * (follow-up touchpoints). Check it right before each such send: an opt-out
 * is honoured from the moment it is recorded. Other workspaces are not
 * affected.
 */
export async function isUnsubscribed(db: D1Database, workspaceId: string, email: string): Promise<boolean> {
  return isHashUnsubscribed(db, workspaceId, await emailHash(email));
}
