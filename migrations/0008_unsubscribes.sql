-- Recipients who opted out of marketing-style emails (follow-up touchpoints). Documented in docs/storage-schema.md.

CREATE TABLE unsubscribes (
  workspace_id     TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email_hash       TEXT NOT NULL,         -- SHA-256 (hex) of the trimmed, lower-cased address; never the address
  unsubscribed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (workspace_id, email_hash)
);
