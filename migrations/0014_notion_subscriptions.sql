-- Notion webhook subscriptions, replacing notion_webhook_secrets (0005). Documented in docs/storage-schema.md.
-- The old table held tokens that any unauthenticated `?workspace=` handshake could plant: none of them is
-- trustworthy, so they are dropped, not migrated. Owners of an internal integration create a new
-- subscription URL on the connections page; the public integration's token is confirmed by the operator.
DROP TABLE IF EXISTS notion_webhook_secrets;

-- The public integration's one subscription (every install shares it). A handshake at /webhooks/notion
-- is only a pending candidate; events verify only with the confirmed row (or the
-- NOTION_WEBHOOK_VERIFICATION_TOKEN secret, which wins). At most 5 pending rows are kept.
CREATE TABLE notion_platform_tokens (
  id                  TEXT PRIMARY KEY,        -- random; also the sealing's associated data
  verification_token  TEXT NOT NULL,           -- AES-GCM envelope, associated data notion-platform:<id>
  received_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  confirmed_at        TEXT                     -- set by the operator; NULL while pending
);
CREATE INDEX notion_platform_tokens_pending ON notion_platform_tokens (received_at) WHERE confirmed_at IS NULL;

-- An owner's internal integration: its own subscription at /webhooks/notion/w/<url_id>.
CREATE TABLE notion_workspace_subscriptions (
  workspace_id        TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  url_id              TEXT NOT NULL UNIQUE,    -- random 128 bits, base64url; Reset draws a new one
  verification_token  TEXT,                    -- AES-GCM envelope, associated data notion-workspace:<workspace>:<url_id>; NULL until the handshake
  token_received_at   TEXT,
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
