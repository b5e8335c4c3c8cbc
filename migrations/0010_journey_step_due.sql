-- The dashboard's "next step": when a waiting step is due, or what it waits for.
ALTER TABLE journey_steps ADD COLUMN due_at TEXT;        -- when a delay or dated trigger fires (ISO), if known
ALTER TABLE journey_steps ADD COLUMN waiting_for TEXT;   -- the event a waiting step waits for: 'approval', 'stripe.invoice.paid', 'operator', …
CREATE INDEX IF NOT EXISTS journeys_workspace_status ON journeys (workspace_id, status);
