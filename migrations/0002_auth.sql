-- Owners, sessions, OAuth state and token-refresh leases. Documented in docs/storage-schema.md.

CREATE TABLE owners (
  google_sub    TEXT PRIMARY KEY,           -- the `sub` claim of the owner's Google ID token
  email         TEXT NOT NULL,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX owners_by_workspace ON owners (workspace_id);

CREATE TABLE sessions (
  id_hash       TEXT PRIMARY KEY,           -- SHA-256 of the cookie value; the value itself is never stored
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  google_sub    TEXT NOT NULL,
  csrf_token    TEXT NOT NULL,              -- per-session token required on state-changing requests
  expires_at    INTEGER NOT NULL,           -- epoch ms
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE oauth_states (
  state_hash       TEXT PRIMARY KEY,        -- SHA-256 of the `state` parameter
  purpose          TEXT NOT NULL,           -- 'sign_in' or 'connect:<provider>'
  workspace_id     TEXT,                    -- NULL for sign-in
  session_hash     TEXT,                    -- binds the flow to the browser that started it
  browser_binding  TEXT NOT NULL,           -- SHA-256 of a random cookie set when the flow started
  code_verifier    TEXT NOT NULL,           -- PKCE verifier, sealed (AES-GCM)
  nonce            TEXT,                    -- OIDC nonce (sign-in)
  expires_at       INTEGER NOT NULL,        -- epoch ms; ten minutes after creation
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Serializes token refreshes of one connection across isolates (a lease, not a lock that can leak).
ALTER TABLE connections ADD COLUMN refresh_lease_until INTEGER;
ALTER TABLE connections ADD COLUMN last_refreshed_at TEXT;
-- Which provider a paused journey waits on.
ALTER TABLE journeys ADD COLUMN paused_for TEXT;
