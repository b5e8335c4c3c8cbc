-- Replay of webhook events (src/events/replay.ts).
-- `payload` is the small normalized event the receiver dispatched (src/events/normalized.ts):
-- a type and ids only, never the raw body, a token or personal data. NULL for rows recorded
-- before replay existed (and for events of an unknown tenant): those cannot be replayed.
ALTER TABLE webhook_events ADD COLUMN payload TEXT;
-- A replay keeps the delivery's own outcome and records its own beside it (the last one wins).
ALTER TABLE webhook_events ADD COLUMN replay_outcome TEXT;
ALTER TABLE webhook_events ADD COLUMN replayed_at TEXT;
ALTER TABLE webhook_events ADD COLUMN replay_count INTEGER NOT NULL DEFAULT 0;
-- The events page lists a workspace's events newest first, optionally per provider.
CREATE INDEX webhook_events_by_workspace_provider ON webhook_events (workspace_id, provider, id);
