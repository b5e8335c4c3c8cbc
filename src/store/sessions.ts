import { sha256Hex, toBase64Url } from "../crypto/encoding";

/** Sessions last a week; the cookie carries a random token whose hash is the key. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface Session {
  idHash: string;
  workspaceId: string;
  googleSub: string;
  csrfToken: string;
  expiresAt: number;
}

export const randomToken = (bytes = 32) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function createSession(
  db: D1Database,
  owner: { workspaceId: string; googleSub: string },
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  const token = randomToken();
  const session: Session = {
    idHash: await sha256Hex(token),
    workspaceId: owner.workspaceId,
    googleSub: owner.googleSub,
    csrfToken: randomToken(24),
    expiresAt: now + SESSION_TTL_MS,
  };
  await db
    .prepare("INSERT INTO sessions (id_hash, workspace_id, google_sub, csrf_token, expires_at) VALUES (?, ?, ?, ?, ?)")
    .bind(session.idHash, session.workspaceId, session.googleSub, session.csrfToken, session.expiresAt)
    .run();
  return { token, session };
}

/** The live session for a cookie token, or null (unknown or expired). */
export async function findSession(db: D1Database, token: string, now = Date.now()): Promise<Session | null> {
  const row = await db
    .prepare("SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?")
    .bind(await sha256Hex(token), now)
    .first<{ id_hash: string; workspace_id: string; google_sub: string; csrf_token: string; expires_at: number }>();
  return row
    ? {
        idHash: row.id_hash,
        workspaceId: row.workspace_id,
        googleSub: row.google_sub,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
      }
    : null;
}

export async function deleteSession(db: D1Database, idHash: string): Promise<void> {
  await db.prepare("DELETE FROM sessions WHERE id_hash = ?").bind(idHash).run();
}
