-- Lead capture: the hosted form's settings, the leads it records, and its rate limit.
-- Documented in docs/storage-schema.md (section "Lead capture").

CREATE TABLE lead_forms (
  workspace_id        TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  title               TEXT NOT NULL,
  intro               TEXT NOT NULL,
  thank_you           TEXT NOT NULL,
  booking_url         TEXT,                           -- shown after submitting and in the auto-reply
  auto_reply_subject  TEXT NOT NULL,                  -- merge fields: client.*, business.*, booking.*
  auto_reply_body     TEXT NOT NULL,
  frame_ancestors     TEXT NOT NULL DEFAULT '*',      -- CSP frame-ancestors: who may embed the form
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE leads (
  id                  TEXT PRIMARY KEY,               -- lead- + 32 hex of SHA-256(workspace:form nonce); the Workflow instance id
  workspace_id        TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email               TEXT NOT NULL,                  -- personal data: never logged
  name                TEXT NOT NULL,
  company             TEXT,
  phone               TEXT,
  message             TEXT NOT NULL,
  source              TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'hubspot')),
  hubspot_contact_id  TEXT,
  hubspot_deal_id     TEXT,
  status              TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_crm', 'replied', 'failed')),
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX leads_by_workspace ON leads (workspace_id, created_at);

-- One row per accepted form submission, for the per-client rate limit (sliding window).
CREATE TABLE lead_submissions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  client_key    TEXT NOT NULL,                        -- HMAC of the client IP; the IP itself is never stored
  submitted_at  INTEGER NOT NULL                      -- epoch ms
);
CREATE INDEX lead_submissions_by_client ON lead_submissions (workspace_id, client_key, submitted_at);
