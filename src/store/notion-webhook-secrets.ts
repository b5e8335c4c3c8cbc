import { open, type SecretKeys, seal } from "../crypto/secret-box";

/**
 * The verification token of each workspace's Notion webhook subscription.
 * Notion sends it once (the handshake) and signs every later event with it,
 * so it is a signing secret: sealed like credentials, bound to its workspace.
 */
const associatedData = (workspaceId: string) => `notion-webhook:${workspaceId}`;

export type SaveTokenResult = "stored" | "replaced" | "subscription_verified";

/**
 * Stores the token from a handshake. A token that has already verified an
 * event is kept (a second handshake cannot take over a live subscription);
 * one that never verified anything is replaced, since Notion sends a new
 * token when a subscription is re-created before it was verified.
 */
export async function saveNotionWebhookToken(
  db: D1Database,
  keys: SecretKeys,
  workspaceId: string,
  token: string,
): Promise<SaveTokenResult> {
  const existing = await db
    .prepare("SELECT verified_at FROM notion_webhook_secrets WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ verified_at: string | null }>();
  if (existing?.verified_at) return "subscription_verified";
  const sealed = await seal(keys, token, associatedData(workspaceId));
  const result = await db
    .prepare(
      `INSERT INTO notion_webhook_secrets (workspace_id, verification_token) VALUES (?1, ?2)
       ON CONFLICT(workspace_id) DO UPDATE SET verification_token = ?2,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE notion_webhook_secrets.verified_at IS NULL`,
    )
    .bind(workspaceId, sealed)
    .run();
  if (result.meta.changes === 0) return "subscription_verified";
  return existing ? "replaced" : "stored";
}

/** A workspace that may own a Notion event, with its opened token. */
export interface NotionWebhookCandidate {
  workspaceId: string;
  token: string;
  verified: boolean;
}

/**
 * The workspaces connected to a Notion workspace (several may share one)
 * that hold a verification token, optionally narrowed to one workspace.
 */
export async function notionWebhookCandidates(
  db: D1Database,
  keys: SecretKeys,
  notionWorkspaceId: string,
  onlyWorkspaceId?: string,
): Promise<{ connected: number; candidates: NotionWebhookCandidate[] }> {
  const { results } = await db
    .prepare(
      `SELECT c.workspace_id, s.verification_token, s.verified_at
       FROM connections c LEFT JOIN notion_webhook_secrets s ON s.workspace_id = c.workspace_id
       WHERE c.provider = 'notion' AND c.external_account_id = ?1 AND c.status != 'disconnected'
         AND (?2 IS NULL OR c.workspace_id = ?2)
       ORDER BY c.workspace_id LIMIT 20`,
    )
    .bind(notionWorkspaceId, onlyWorkspaceId ?? null)
    .all<{ workspace_id: string; verification_token: string | null; verified_at: string | null }>();
  const candidates: NotionWebhookCandidate[] = [];
  for (const row of results) {
    if (!row.verification_token) continue;
    candidates.push({
      workspaceId: row.workspace_id,
      token: await open(keys, row.verification_token, associatedData(row.workspace_id)),
      verified: row.verified_at !== null,
    });
  }
  return { connected: results.length, candidates };
}

/** Notes that the token verified an event: the subscription is live from now on. */
export async function markNotionWebhookVerified(db: D1Database, workspaceId: string): Promise<void> {
  await db
    .prepare(
      `UPDATE notion_webhook_secrets SET verified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE workspace_id = ? AND verified_at IS NULL`,
    )
    .bind(workspaceId)
    .run();
}

/**
 * The stored token, for the signed-in owner to paste into Notion's
 * "Verify subscription" dialog. Never log it or put it in a URL.
 */
export async function readNotionWebhookToken(
  db: D1Database,
  keys: SecretKeys,
  workspaceId: string,
): Promise<{ token: string; verified: boolean } | null> {
  const row = await db
    .prepare("SELECT verification_token, verified_at FROM notion_webhook_secrets WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ verification_token: string; verified_at: string | null }>();
  if (!row) return null;
  return {
    token: await open(keys, row.verification_token, associatedData(workspaceId)),
    verified: row.verified_at !== null,
  };
}

/** Forgets the token (the owner deleted the subscription in Notion and will create a new one). */
export async function deleteNotionWebhookToken(db: D1Database, workspaceId: string): Promise<void> {
  await db.prepare("DELETE FROM notion_webhook_secrets WHERE workspace_id = ?").bind(workspaceId).run();
}
