import { sha256Hex } from "../crypto/encoding";

/**
 * The hash an address is stored and signed under: SHA-256 (hex) of the
 * trimmed, lower-cased address. The address itself is never stored.
 */
export function emailHash(email: string): Promise<string> {
  return sha256Hex(email.trim().toLowerCase());
}

/**
 * Records that the address (by hash) opted out of the workspace's
 * marketing-style emails. Idempotent: true only for the call that recorded
 * it; the first time is kept.
 */
export async function recordUnsubscribe(db: D1Database, workspaceId: string, hash: string): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO unsubscribes (workspace_id, email_hash) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
    .bind(workspaceId, hash)
    .run();
  return result.meta.changes > 0;
}

/** Whether the address (by hash) opted out of this workspace's marketing-style emails. */
export async function isHashUnsubscribed(db: D1Database, workspaceId: string, hash: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS yes FROM unsubscribes WHERE workspace_id = ?1 AND email_hash = ?2")
    .bind(workspaceId, hash)
    .first<{ yes: number }>();
  return row !== null;
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
