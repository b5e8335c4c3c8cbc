import { sha256Hex } from "../crypto/encoding";
import { open, type SecretKeys, seal } from "../crypto/secret-box";
import { randomToken } from "./sessions";

/** An OAuth flow must come back within ten minutes. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export interface OAuthState {
  purpose: string;
  workspaceId: string | null;
  sessionHash: string | null;
  browserBindingHash: string;
  codeVerifier: string;
  nonce: string | null;
}

/**
 * Stores a one-time `state` for an OAuth flow with its PKCE verifier (sealed),
 * bound to the browser (a random cookie) and, for connections, to the session.
 */
export async function createOAuthState(
  db: D1Database,
  keys: SecretKeys,
  input: {
    purpose: string;
    workspaceId: string | null;
    sessionHash: string | null;
    browserBinding: string;
    nonce?: string;
  },
  now = Date.now(),
): Promise<{ state: string; codeVerifier: string }> {
  const state = randomToken();
  const codeVerifier = randomToken(48);
  const stateHash = await sha256Hex(state);
  await db
    .prepare(
      `INSERT INTO oauth_states (state_hash, purpose, workspace_id, session_hash, browser_binding, code_verifier, nonce, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      stateHash,
      input.purpose,
      input.workspaceId,
      input.sessionHash,
      await sha256Hex(input.browserBinding),
      await seal(keys, codeVerifier, `oauth-state:${stateHash}`),
      input.nonce ?? null,
      now + STATE_TTL_MS,
    )
    .run();
  return { state, codeVerifier };
}

/**
 * Consumes a state: deleted on first use whatever happens next, so a replayed
 * callback finds nothing. Returns null when unknown, reused or expired.
 */
export async function consumeOAuthState(
  db: D1Database,
  keys: SecretKeys,
  state: string,
  now = Date.now(),
): Promise<OAuthState | null> {
  const stateHash = await sha256Hex(state);
  const row = await db.prepare("DELETE FROM oauth_states WHERE state_hash = ? RETURNING *").bind(stateHash).first<{
    purpose: string;
    workspace_id: string | null;
    session_hash: string | null;
    browser_binding: string;
    code_verifier: string;
    nonce: string | null;
    expires_at: number;
  }>();
  if (!row || row.expires_at <= now) return null;
  return {
    purpose: row.purpose,
    workspaceId: row.workspace_id,
    sessionHash: row.session_hash,
    browserBindingHash: row.browser_binding,
    codeVerifier: await open(keys, row.code_verifier, `oauth-state:${stateHash}`),
    nonce: row.nonce,
  };
}

/**
 * Records that the callback accepted a sign-in `state` (SHA-256 `stateHash`,
 * kept until the state's own expiry): true the first time, false when it was
 * used before. Sign-in states are not stored when issued (they travel sealed
 * in the flow cookie); this row, written only at the callback, makes each
 * one single-use.
 */
export async function markSignInStateUsed(db: D1Database, stateHash: string, expiresAt: number): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO sign_in_used_states (state_hash, expires_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
    .bind(stateHash, expiresAt)
    .run();
  return result.meta.changes > 0;
}
