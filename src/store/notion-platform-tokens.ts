import { open, type SecretKeys, seal } from "../crypto/secret-box";
import { randomToken } from "./sessions";

/**
 * The public Notion integration's verification token. A public integration
 * has one webhook subscription for every install; Notion sends its token once,
 * unsigned, to the subscription URL, and the integration's owner pastes it
 * into the integration's Webhooks tab to verify the subscription
 * (https://developers.notion.com/reference/webhooks, steps 1–2). Anyone can
 * POST a look-alike handshake, so a received token is only a pending
 * candidate; the operator confirms the right one (src/operator/).
 */
const associatedData = (id: string) => `notion-platform:${id}`;

/** How many pending candidates are kept: older ones are dropped, so a flood of fake handshakes stays bounded. */
export const PENDING_KEPT = 5;

/** A pending candidate, opened for the operator to compare with the token Notion shows. */
export interface PendingNotionToken {
  id: string;
  token: string;
  receivedAt: string;
}

/** Keeps a handshake's token as a pending candidate (sealed), dropping all but the newest PENDING_KEPT. Never touches the confirmed one. */
export async function addPendingNotionToken(db: D1Database, keys: SecretKeys, token: string): Promise<void> {
  const id = randomToken(16);
  const sealed = await seal(keys, token, associatedData(id));
  await db.batch([
    db.prepare("INSERT INTO notion_platform_tokens (id, verification_token) VALUES (?, ?)").bind(id, sealed),
    db
      .prepare(
        `DELETE FROM notion_platform_tokens WHERE confirmed_at IS NULL AND id NOT IN (
           SELECT id FROM notion_platform_tokens WHERE confirmed_at IS NULL
           ORDER BY received_at DESC, rowid DESC LIMIT ?)`,
      )
      .bind(PENDING_KEPT),
  ]);
}

/** The pending candidates, newest first. Show them only to the operator; never log them. */
export async function listPendingNotionTokens(db: D1Database, keys: SecretKeys): Promise<PendingNotionToken[]> {
  const { results } = await db
    .prepare(
      `SELECT id, verification_token, received_at FROM notion_platform_tokens WHERE confirmed_at IS NULL
       ORDER BY received_at DESC, rowid DESC LIMIT ?`,
    )
    .bind(PENDING_KEPT)
    .all<{ id: string; verification_token: string; received_at: string }>();
  return Promise.all(
    results.map(async (row) => ({
      id: row.id,
      token: await open(keys, row.verification_token, associatedData(row.id)),
      receivedAt: row.received_at,
    })),
  );
}

/**
 * Makes a pending candidate the confirmed token (the previous confirmed one
 * is deleted). False when no pending candidate has that id.
 */
export async function confirmNotionToken(db: D1Database, id: string): Promise<boolean> {
  const pending = await db
    .prepare("SELECT id FROM notion_platform_tokens WHERE id = ? AND confirmed_at IS NULL")
    .bind(id)
    .first<{ id: string }>();
  if (!pending) return false;
  await db.batch([
    db.prepare("DELETE FROM notion_platform_tokens WHERE confirmed_at IS NOT NULL"),
    db
      .prepare("UPDATE notion_platform_tokens SET confirmed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
      .bind(id),
  ]);
  return true;
}

/** The confirmed token and when it was confirmed, or null. Events verify with this alone (or the env secret). */
export async function confirmedNotionToken(
  db: D1Database,
  keys: SecretKeys,
): Promise<{ token: string; confirmedAt: string } | null> {
  const row = await db
    .prepare(
      `SELECT id, verification_token, confirmed_at FROM notion_platform_tokens WHERE confirmed_at IS NOT NULL
       ORDER BY confirmed_at DESC LIMIT 1`,
    )
    .first<{ id: string; verification_token: string; confirmed_at: string }>();
  if (!row) return null;
  return { token: await open(keys, row.verification_token, associatedData(row.id)), confirmedAt: row.confirmed_at };
}
