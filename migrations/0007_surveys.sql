-- Satisfaction surveys on the hosted page /s/:token (off-boarding). Documented in docs/storage-schema.md.

CREATE TABLE surveys (
  id                 TEXT PRIMARY KEY,    -- 'srv_' + 32 hex of SHA-256(journey id): one survey per journey
  workspace_id       TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  journey_id         TEXT NOT NULL UNIQUE REFERENCES journeys(id) ON DELETE CASCADE,
  token_hash         TEXT NOT NULL UNIQUE, -- SHA-256 (hex) of the URL token; the token itself is never stored
  question           TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'answered')),
  sent_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  answered_at        TEXT,
  score              INTEGER CHECK (score BETWEEN 0 AND 10), -- "how likely are you to recommend us" (NPS-style)
  comment            TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
  signal_outcome     TEXT,                -- what signalJourney answered for survey-answered; NULL until sent
  hubspot_synced_at  TEXT,                -- set by the hubspot.record-survey action
  notion_synced_at   TEXT,                -- set by the notion.record-survey action
  CHECK (status = 'sent' OR (score IS NOT NULL AND answered_at IS NOT NULL))
);
CREATE INDEX surveys_by_workspace ON surveys (workspace_id, sent_at);
