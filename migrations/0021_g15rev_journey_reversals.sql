-- Issue 15 (task G3, money reversals; docs/reversals.md): each refund, dispute, voided or uncollectible invoice or
-- failed instalment on one of a journey's own invoices, recorded by intake when it reaches the journey. The open
-- ones (resolved_at NULL) are what a template's `hold` waits on; a dispute won or an instalment paid resolves the
-- row of the same Stripe object. One row per journey and Stripe event: a redelivered event changes nothing.
CREATE TABLE journey_reversals (
  journey_id   TEXT NOT NULL,
  event_id     TEXT NOT NULL,      -- the Stripe event (evt_…) that opened it
  workspace_id TEXT NOT NULL,
  kind         TEXT NOT NULL,      -- src/runtime/reversal-kinds.ts
  object_id    TEXT NOT NULL,      -- the charge, dispute or invoice the event is about (resolution matches it)
  invoice_id   TEXT NOT NULL,      -- the journey's own invoice it concerns
  opened_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  resolved_at  TEXT,
  resolved_by  TEXT,               -- the resolving Stripe event, or 'owner'
  PRIMARY KEY (journey_id, event_id)
);
CREATE INDEX journey_reversals_open ON journey_reversals (journey_id, object_id) WHERE resolved_at IS NULL;
