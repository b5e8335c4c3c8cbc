import { open, type SecretKeys, seal } from "../crypto/secret-box";
import { randomToken } from "./sessions";

/**
 * Per-workspace Notion subscriptions, for owners who use an internal
 * integration (its own subscription and token). The subscription URL carries
 * a random id the owner creates while signed in; the token Notion sends to it
 * is stored once and shown to the owner to paste into Notion.
 */
const associatedData = (workspaceId: string, urlId: string) => `notion-workspace:${workspaceId}:${urlId}`;

/** A workspace's subscription: its URL id and, once Notion's handshake arrived, its token. */
export interface NotionWorkspaceSubscription {
  workspaceId: string;
  urlId: string;
  token: string | null;
  tokenReceivedAt: string | null;
}

type Row = {
  workspace_id: string;
  url_id: string;
  verification_token: string | null;
  token_received_at: string | null;
};

async function fromRow(keys: SecretKeys, row: Row): Promise<NotionWorkspaceSubscription> {
  return {
    workspaceId: row.workspace_id,
    urlId: row.url_id,
    token: row.verification_token
      ? await open(keys, row.verification_token, associatedData(row.workspace_id, row.url_id))
      : null,
    tokenReceivedAt: row.token_received_at,
  };
}

/**
 * Creates the workspace's subscription URL id, or draws a new one and clears
 * the token (Reset): 128 random bits, base64url. The old URL stops working.
 */
export async function resetNotionSubscription(db: D1Database, workspaceId: string): Promise<string> {
  const urlId = randomToken(16);
  await db
    .prepare(
      `INSERT INTO notion_workspace_subscriptions (workspace_id, url_id) VALUES (?1, ?2)
       ON CONFLICT(workspace_id) DO UPDATE SET url_id = ?2, verification_token = NULL, token_received_at = NULL,
         created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(workspaceId, urlId)
    .run();
  return urlId;
}

/** The workspace's subscription, or null. */
export async function notionSubscriptionOf(
  db: D1Database,
  keys: SecretKeys,
  workspaceId: string,
): Promise<NotionWorkspaceSubscription | null> {
  const row = await db
    .prepare("SELECT * FROM notion_workspace_subscriptions WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<Row>();
  return row ? fromRow(keys, row) : null;
}

/** The subscription a URL id names, or null (an unknown or reset id). */
export async function notionSubscriptionByUrl(
  db: D1Database,
  keys: SecretKeys,
  urlId: string,
): Promise<NotionWorkspaceSubscription | null> {
  const row = await db
    .prepare("SELECT * FROM notion_workspace_subscriptions WHERE url_id = ?")
    .bind(urlId)
    .first<Row>();
  return row ? fromRow(keys, row) : null;
}

/**
 * Stores the handshake's token only when none is stored: a later handshake
 * can neither replace nor lock the owner's token. False when one was stored
 * (or the URL was reset meanwhile).
 */
export async function storeNotionSubscriptionToken(
  db: D1Database,
  keys: SecretKeys,
  subscription: { workspaceId: string; urlId: string },
  token: string,
): Promise<boolean> {
  const sealed = await seal(keys, token, associatedData(subscription.workspaceId, subscription.urlId));
  const result = await db
    .prepare(
      `UPDATE notion_workspace_subscriptions SET verification_token = ?,
         token_received_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE workspace_id = ? AND url_id = ? AND verification_token IS NULL`,
    )
    .bind(sealed, subscription.workspaceId, subscription.urlId)
    .run();
  return result.meta.changes > 0;
}

/** The Clientflow workspaces whose Notion connection is to `notionWorkspaceId` (several may share one). */
export async function workspacesOnNotion(db: D1Database, notionWorkspaceId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT workspace_id FROM connections
       WHERE provider = 'notion' AND external_account_id = ? AND status != 'disconnected'
       ORDER BY workspace_id LIMIT 50`,
    )
    .bind(notionWorkspaceId)
    .all<{ workspace_id: string }>();
  return results.map((row) => row.workspace_id);
}

/** The Notion workspace id of a workspace's Notion connection, or null. */
export async function notionWorkspaceOf(db: D1Database, workspaceId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT external_account_id FROM connections
       WHERE provider = 'notion' AND workspace_id = ? AND status != 'disconnected'`,
    )
    .bind(workspaceId)
    .first<{ external_account_id: string | null }>();
  return row?.external_account_id ?? null;
}
