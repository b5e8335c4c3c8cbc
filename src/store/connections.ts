import type { ConfigByProvider, Provider, TokenCredentials } from "../../integrations/core/provider";
import { open, type SecretKeys, seal } from "../crypto/secret-box";
import { ConnectionError } from "../errors";

/** Provider names and connection shapes are the integrations' (the lower layer); re-exported for the store's callers. */
export type { ConfigByProvider, Provider, TokenCredentials };
export type ConnectionStatus = "active" | "needs_reconnect" | "disconnected";

export type CredentialsByProvider = Record<Provider, TokenCredentials>;

export interface Connection<P extends Provider = Provider> {
  id: number;
  workspaceId: string;
  provider: P;
  externalAccountId: string | null;
  credentials: CredentialsByProvider[P];
  config: ConfigByProvider[P];
  status: ConnectionStatus;
  source: "oauth" | "env" | "key" | "sandbox";
}

interface ConnectionRow {
  id: number;
  workspace_id: string;
  provider: Provider;
  external_account_id: string | null;
  credentials: string;
  config: string;
  status: ConnectionStatus;
  source: "oauth" | "env" | "key" | "sandbox";
}

/** The ciphertext is bound to its workspace and provider. */
const associatedData = (workspaceId: string, provider: Provider) => `connection:${workspaceId}:${provider}`;

export async function saveConnection<P extends Provider>(
  db: D1Database,
  keys: SecretKeys,
  input: {
    workspaceId: string;
    provider: P;
    externalAccountId: string | null;
    credentials: CredentialsByProvider[P];
    config: ConfigByProvider[P];
    source: "oauth" | "env" | "key" | "sandbox";
    /** When the granted refresh token ends, where the provider said so at grant time (Google in testing). */
    refreshExpiresAt?: string;
  },
): Promise<void> {
  const sealed = await seal(keys, JSON.stringify(input.credentials), associatedData(input.workspaceId, input.provider));
  await db
    .prepare(
      `INSERT INTO connections (workspace_id, provider, external_account_id, credentials, config, status, source,
         consented_at, refresh_expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?7)
       ON CONFLICT(workspace_id, provider) DO UPDATE SET external_account_id = ?3, credentials = ?4,
         config = ?5, status = 'active', source = ?6, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         consented_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), refresh_expires_at = ?7`,
    )
    .bind(
      input.workspaceId,
      input.provider,
      input.externalAccountId,
      sealed,
      JSON.stringify(input.config),
      input.source,
      input.refreshExpiresAt ?? null,
    )
    .run();
}

/** Replaces only the secret part (e.g. a refreshed access token). */
export async function updateCredentials<P extends Provider>(
  db: D1Database,
  keys: SecretKeys,
  workspaceId: string,
  provider: P,
  credentials: CredentialsByProvider[P],
): Promise<void> {
  const sealed = await seal(keys, JSON.stringify(credentials), associatedData(workspaceId, provider));
  await db
    .prepare(
      `UPDATE connections SET credentials = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE workspace_id = ?1 AND provider = ?2`,
    )
    .bind(workspaceId, provider, sealed)
    .run();
}

export async function setConnectionStatus(
  db: D1Database,
  workspaceId: string,
  provider: Provider,
  status: ConnectionStatus,
): Promise<void> {
  await db
    .prepare(
      `UPDATE connections SET status = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE workspace_id = ?1 AND provider = ?2`,
    )
    .bind(workspaceId, provider, status)
    .run();
}

/**
 * The decrypted connection, or a ConnectionError naming what to do.
 * `before`: statements written in the same round trip, ahead of the read (a
 * D1 batch, applied together): an action's attempt opens its timeline row so.
 */
export async function getConnection<P extends Provider>(
  db: D1Database,
  keys: SecretKeys,
  workspaceId: string,
  provider: P,
  before: readonly D1PreparedStatement[] = [],
): Promise<Connection<P>> {
  const select = db
    .prepare("SELECT * FROM connections WHERE workspace_id = ? AND provider = ?")
    .bind(workspaceId, provider);
  const row =
    before.length === 0
      ? await select.first<ConnectionRow>()
      : ((await db.batch<ConnectionRow>([...before, select])).at(-1)?.results[0] ?? null);
  if (!row || row.status === "disconnected") throw new ConnectionError(provider, `Connect ${provider} first`);
  if (row.status === "needs_reconnect") throw new ConnectionError(provider, `Reconnect ${provider}`);
  const credentials = JSON.parse(await open(keys, row.credentials, associatedData(workspaceId, provider)));
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    provider: row.provider as P,
    externalAccountId: row.external_account_id,
    credentials,
    config: JSON.parse(row.config),
    status: row.status,
    source: row.source,
  };
}

/** The workspace owning an external account (HubSpot portal, Stripe account), if any. */
export async function findWorkspaceIdByAccount(
  db: D1Database,
  provider: Provider,
  externalAccountId: string,
): Promise<string | null> {
  const row = await db
    .prepare(
      "SELECT workspace_id FROM connections WHERE provider = ? AND external_account_id = ? AND status != 'disconnected'",
    )
    .bind(provider, externalAccountId)
    .first<{ workspace_id: string }>();
  return row?.workspace_id ?? null;
}
