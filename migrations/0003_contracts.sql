-- Agreements sent for acceptance on the hosted page /c/:token. Documented in docs/storage-schema.md.

CREATE TABLE contracts (
  id                    TEXT PRIMARY KEY,    -- 'ctr_' + 32 random hex
  workspace_id          TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  journey_id            TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  token_hash            TEXT NOT NULL,       -- SHA-256 (hex) of the URL token; the token itself is never stored
  title                 TEXT NOT NULL,
  body_text             TEXT NOT NULL,       -- the exact rendered text the client reads
  body_sha256           TEXT NOT NULL,       -- SHA-256 (hex) of body_text as UTF-8
  status                TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'void')),
  sent_at               TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  accepted_at           TEXT,
  -- The signed audit record, written once when the client accepts.
  accepted_name         TEXT,                -- the name the client typed
  accepted_ip           TEXT,                -- CF-Connecting-IP ('' when absent)
  accepted_user_agent   TEXT,                -- User-Agent, at most 512 characters ('' when absent)
  accepted_text_sha256  TEXT,                -- equals body_sha256: the text accepted is the text shown
  audit_signature       TEXT,                -- HMAC-SHA256 over the canonical audit JSON (src/contracts/audit.ts)
  signal_outcome        TEXT,                -- what signalJourney answered for contract-signed; NULL until sent
  updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (journey_id),                       -- one contract per journey: creation is idempotent
  UNIQUE (token_hash)
);
CREATE INDEX contracts_by_workspace ON contracts (workspace_id, sent_at);
