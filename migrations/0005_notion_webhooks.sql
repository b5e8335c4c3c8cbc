-- Fulfillment on the Notion board: webhook secrets, card ↔ journey, status mapping, sync state.
-- Documented in docs/storage-schema.md.

-- The verification token of a workspace's Notion webhook subscription: Notion sends it once
-- (the handshake) and then signs every event with it. Sealed like credentials.
CREATE TABLE notion_webhook_secrets (
  workspace_id        TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  verification_token  TEXT NOT NULL,        -- AES-GCM envelope, associated data notion-webhook:<workspace>
  verified_at         TEXT,                 -- first event that verified with it; NULL until then
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The journey's project card: Notion events name a page, this finds its journey without a Notion call.
ALTER TABLE journeys ADD COLUMN notion_page_id TEXT;
CREATE INDEX journeys_by_notion_page ON journeys (notion_page_id) WHERE notion_page_id IS NOT NULL;

-- Per workspace: Notion status name → HubSpot deal stage and milestone email key (JSON).
-- No row means the defaults in src/fulfillment/status-mapping.ts.
CREATE TABLE status_mappings (
  workspace_id  TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  mapping       TEXT NOT NULL,              -- JSON, validated by src/fulfillment/status-mapping.ts
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- What each side last reported and what Clientflow last wrote to it, so an echo of our own
-- write is recognized and not synced back (no ping-pong).
CREATE TABLE sync_state (
  journey_id             TEXT PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
  notion_status_seen     TEXT,              -- last status read from the card
  notion_seen_at         TEXT,
  notion_status_written  TEXT,              -- status Clientflow set and whose echo is pending
  notion_written_at      TEXT,
  hubspot_stage_seen     TEXT,              -- last stage HubSpot reported
  hubspot_seen_at        TEXT,
  hubspot_event_at       INTEGER,           -- occurredAt (epoch ms) of the newest HubSpot change applied
  hubspot_stage_written  TEXT,              -- stage Clientflow set and whose echo is pending
  hubspot_written_at     TEXT,
  last_change_source     TEXT CHECK (last_change_source IN ('notion', 'hubspot')),
  last_change_at         TEXT,              -- when that side's change was last synced across
  version                INTEGER NOT NULL DEFAULT 0,  -- optimistic concurrency
  updated_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
