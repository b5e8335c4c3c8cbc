-- Connections seeded for the local provider sandbox (`npm start` without a provider's OAuth app)
-- carry source 'sandbox', so the UI can tell them from real ones. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt with the same columns, rows and indexes.
PRAGMA defer_foreign_keys = true;

CREATE TABLE connections_next (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id         TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  provider             TEXT NOT NULL CHECK (provider IN ('hubspot', 'stripe', 'notion', 'google')),
  external_account_id  TEXT,
  credentials          TEXT NOT NULL,
  config               TEXT NOT NULL DEFAULT '{}',
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reconnect', 'disconnected')),
  source               TEXT NOT NULL DEFAULT 'oauth' CHECK (source IN ('oauth', 'env', 'key', 'sandbox')),
  created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  refresh_lease_until  INTEGER,
  last_refreshed_at    TEXT,
  UNIQUE (workspace_id, provider)
);

INSERT INTO connections_next (id, workspace_id, provider, external_account_id, credentials, config, status, source,
                              created_at, updated_at, refresh_lease_until, last_refreshed_at)
  SELECT id, workspace_id, provider, external_account_id, credentials, config, status, source,
         created_at, updated_at, refresh_lease_until, last_refreshed_at
  FROM connections;

DROP TABLE connections;
ALTER TABLE connections_next RENAME TO connections;

CREATE UNIQUE INDEX connections_by_webhook_account
  ON connections (provider, external_account_id)
  WHERE external_account_id IS NOT NULL AND provider IN ('hubspot', 'stripe');
CREATE INDEX connections_by_account ON connections (provider, external_account_id);

PRAGMA defer_foreign_keys = false;
