/**
 * Every column holding a value sealed with src/crypto/secret-box.ts, with
 * the associated data its store file binds the ciphertext to (the strings
 * must match those files exactly: test/operator/rotate-key.test.ts seals
 * through the real stores and reads back through them). Key rotation
 * (src/operator/rotate-key.ts) walks these by rowid.
 */
export const SEALED_COLUMNS = {
  /** src/store/connections.ts */
  connections: {
    select: "SELECT rowid AS rid, credentials AS sealed, workspace_id AS a, provider AS b FROM connections",
    column: "credentials",
    associatedData: (a: string, b: string) => `connection:${a}:${b}`,
  },
  /** src/store/stripe-endpoints.ts */
  stripe_webhook_endpoints: {
    select: "SELECT rowid AS rid, signing_secret AS sealed, workspace_id AS a, id AS b FROM stripe_webhook_endpoints",
    column: "signing_secret",
    associatedData: (a: string, b: string) => `stripe-endpoint:${a}:${b}`,
  },
  /** src/store/notion-platform-tokens.ts */
  notion_platform_tokens: {
    select: "SELECT rowid AS rid, verification_token AS sealed, id AS a, '' AS b FROM notion_platform_tokens",
    column: "verification_token",
    associatedData: (a: string, _b: string) => `notion-platform:${a}`,
  },
  /** src/store/notion-workspace-subscriptions.ts (NULL until Notion's handshake) */
  notion_workspace_subscriptions: {
    select:
      "SELECT rowid AS rid, verification_token AS sealed, workspace_id AS a, url_id AS b FROM notion_workspace_subscriptions",
    column: "verification_token",
    associatedData: (a: string, b: string) => `notion-workspace:${a}:${b}`,
  },
  /** src/store/oauth-states.ts: PKCE verifiers of connect flows under way (they live ten minutes). */
  oauth_states: {
    select: "SELECT rowid AS rid, code_verifier AS sealed, state_hash AS a, '' AS b FROM oauth_states",
    column: "code_verifier",
    associatedData: (a: string, _b: string) => `oauth-state:${a}`,
  },
  /** src/store/retired-purpose-keys.ts: purpose keys of retired ENCRYPTION_KEYs, re-sealed like any credential. */
  retired_purpose_keys: {
    select: "SELECT rowid AS rid, sealed_key AS sealed, purpose AS a, key_id AS b FROM retired_purpose_keys",
    column: "sealed_key",
    associatedData: (a: string, b: string) => `retired-purpose-key:${a}:${b}`,
  },
} as const;

/** A table with a sealed column. */
export type SealedTable = keyof typeof SEALED_COLUMNS;

/** The tables in the order rotation walks them. */
export const SEALED_TABLES = Object.keys(SEALED_COLUMNS) as SealedTable[];

/** One sealed value, with what its associated data is built from. */
export interface SealedRow {
  rid: number;
  sealed: string;
  associatedData: string;
}

/** The next `limit` sealed values of `table` after rowid `after`, in rowid order. */
export async function sealedRowsAfter(
  db: D1Database,
  table: SealedTable,
  after: number,
  limit: number,
): Promise<SealedRow[]> {
  const spec = SEALED_COLUMNS[table];
  const { results } = await db
    .prepare(`${spec.select} WHERE rowid > ?1 AND ${spec.column} IS NOT NULL ORDER BY rowid LIMIT ?2`)
    .bind(after, limit)
    .all<{ rid: number; sealed: string; a: string; b: string }>();
  return results.map((r) => ({ rid: r.rid, sealed: r.sealed, associatedData: spec.associatedData(r.a, r.b) }));
}

/**
 * Replaces one sealed value, only if it is still the one read (compare and
 * set): a token refresh that wrote a newer value meanwhile wins, and that
 * value is sealed under the current key already. True when replaced.
 */
export async function replaceSealed(
  db: D1Database,
  table: SealedTable,
  rid: number,
  previous: string,
  next: string,
): Promise<boolean> {
  const column = SEALED_COLUMNS[table].column;
  const result = await db
    .prepare(`UPDATE ${table} SET ${column} = ?1 WHERE rowid = ?2 AND ${column} = ?3`)
    .bind(next, rid, previous)
    .run();
  return result.meta.changes > 0;
}
