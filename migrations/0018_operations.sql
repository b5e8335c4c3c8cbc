-- Issue 14 (task 14B): scheduled maintenance, connection health, deep health. Documented in docs/operations.md.

-- The purge finds webhook events past their retention by receipt time (src/maintenance/purge.ts).
CREATE INDEX webhook_events_received ON webhook_events (received_at);

-- The last result of each scheduled check of a workspace's connection: one row per workspace, provider
-- and kind of check ('auth': a cheap authenticated read; later checks add their own kinds). No secrets:
-- an error class and a fix hint the dashboard shows.
CREATE TABLE connection_checks (
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  provider       TEXT NOT NULL,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'failing')),
  checked_at     TEXT NOT NULL,             -- ISO, the run's time
  error_class    TEXT,                      -- NULL when ok; e.g. access_revoked, missing_permission, provider_unavailable
  hint           TEXT,                      -- what the owner can do, one sentence
  failing_since  TEXT,                      -- when the check first stopped being ok; NULL when ok
  PRIMARY KEY (workspace_id, provider, kind)
);

-- The operator's deep health check writes here to prove D1 accepts writes (one row, overwritten).
CREATE TABLE health_probes (
  id        TEXT PRIMARY KEY,
  probed_at TEXT NOT NULL
);
