-- What Clientflow itself wrote to HubSpot (a contact or deal it created, a deal stage it set), so that
-- HubSpot's webhook echo of it is not taken for the owner's change (src/intake/hubspot-echo.ts).
-- `property` is '' for a created object. Rows older than 7 days may be purged (purgeOwnWrites).
CREATE TABLE hubspot_own_writes (
  workspace_id TEXT NOT NULL,
  object_type TEXT NOT NULL CHECK (object_type IN ('contact', 'deal')),
  object_id TEXT NOT NULL,
  property TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL DEFAULT '',
  written_at INTEGER NOT NULL  -- epoch ms
);
CREATE INDEX hubspot_own_writes_object ON hubspot_own_writes (workspace_id, object_type, object_id, property);
CREATE INDEX hubspot_own_writes_written ON hubspot_own_writes (written_at);
