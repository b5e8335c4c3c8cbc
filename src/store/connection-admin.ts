import type { Provider } from "./connections";

/** Non-secret facts about a workspace's connections, for pages and the API. */
export interface ConnectionSummary {
  provider: Provider;
  status: "active" | "needs_reconnect" | "disconnected";
  source: "oauth" | "env" | "key" | "sandbox";
  externalAccountId: string | null;
  config: Record<string, unknown>;
  lastRefreshedAt: string | null;
  /** When the connection was first made (a reconnect keeps it). */
  createdAt: string;
  updatedAt: string;
}

export async function listConnections(db: D1Database, workspaceId: string): Promise<ConnectionSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT provider, status, source, external_account_id, config, last_refreshed_at, created_at, updated_at
       FROM connections WHERE workspace_id = ? ORDER BY provider`,
    )
    .bind(workspaceId)
    .all<{
      provider: Provider;
      status: ConnectionSummary["status"];
      source: ConnectionSummary["source"];
      external_account_id: string | null;
      config: string;
      last_refreshed_at: string | null;
      created_at: string;
      updated_at: string;
    }>();
  return results.map((r) => ({
    provider: r.provider,
    status: r.status,
    source: r.source,
    externalAccountId: r.external_account_id,
    config: JSON.parse(r.config),
    lastRefreshedAt: r.last_refreshed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Removes a connection and its sealed credentials. */
export async function deleteConnection(db: D1Database, workspaceId: string, provider: Provider): Promise<boolean> {
  const result = await db
    .prepare("DELETE FROM connections WHERE workspace_id = ? AND provider = ?")
    .bind(workspaceId, provider)
    .run();
  return result.meta.changes > 0;
}

/** Merges non-secret settings into a connection's config (e.g. the Notion board). */
export async function updateConnectionConfig(
  db: D1Database,
  workspaceId: string,
  provider: Provider,
  patch: Record<string, unknown>,
): Promise<void> {
  const row = await db
    .prepare("SELECT config FROM connections WHERE workspace_id = ? AND provider = ?")
    .bind(workspaceId, provider)
    .first<{ config: string }>();
  const config = { ...(row ? JSON.parse(row.config) : {}), ...patch };
  await db
    .prepare(
      `UPDATE connections SET config = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE workspace_id = ? AND provider = ?`,
    )
    .bind(JSON.stringify(config), workspaceId, provider)
    .run();
}

/**
 * The env seed's connections of sandboxed providers become source 'sandbox';
 * stale sandbox connections of `real` providers (now run against the real
 * API) are deleted, so the real one can be connected. One round trip.
 */
export async function markSandboxConnections(
  db: D1Database,
  workspaceId: string,
  providers: { sandboxed: readonly Provider[]; real: readonly Provider[] },
): Promise<void> {
  const list = (values: readonly Provider[]) => values.map(() => "?").join(", ");
  const statements: D1PreparedStatement[] = [];
  if (providers.sandboxed.length) {
    statements.push(
      db
        .prepare(
          `UPDATE connections SET source = 'sandbox' WHERE workspace_id = ? AND source = 'env'
             AND provider IN (${list(providers.sandboxed)})`,
        )
        .bind(workspaceId, ...providers.sandboxed),
    );
  }
  if (providers.real.length) {
    statements.push(
      db
        .prepare(
          `DELETE FROM connections WHERE workspace_id = ? AND source = 'sandbox'
             AND provider IN (${list(providers.real)})`,
        )
        .bind(workspaceId, ...providers.real),
    );
  }
  if (statements.length) await db.batch(statements);
}
