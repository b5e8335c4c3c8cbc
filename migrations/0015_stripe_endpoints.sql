-- Stripe intake per tenant: the webhook endpoint Clientflow creates in a key-connected account,
-- and the invoices each journey created (payment events are matched against these, never metadata).
-- Documented in docs/storage-schema.md.

-- One endpoint per key-connected workspace, created through Stripe's API at connect time at
-- <PUBLIC_URL>/webhooks/stripe/e/<id>. The id is random (not the workspace id); the signing
-- secret Stripe returns once at creation is sealed like credentials.
CREATE TABLE stripe_webhook_endpoints (
  id                  TEXT PRIMARY KEY,     -- opaque, 128 random bits, base64url
  workspace_id        TEXT NOT NULL UNIQUE REFERENCES workspaces(id) ON DELETE CASCADE,
  stripe_endpoint_id  TEXT NOT NULL,        -- we_… at Stripe (deleted on reconnect and disconnect)
  signing_secret      TEXT NOT NULL,        -- AES-GCM envelope, associated data stripe-endpoint:<workspace>:<id>
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Every invoice a journey's invoice step created (deposit, balance…): invoice.* events find
-- their journey here, by the invoice id within the workspace.
CREATE TABLE journey_invoices (
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  invoice_id    TEXT NOT NULL,              -- in_… at Stripe
  journey_id    TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  purpose       TEXT NOT NULL,              -- deposit, balance or deal (the step's amount); 'awaited' if backfilled
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (workspace_id, invoice_id)
);

-- Journeys that already wait on an invoice keep matching it.
INSERT OR IGNORE INTO journey_invoices (workspace_id, invoice_id, journey_id, purpose)
  SELECT workspace_id, invoice_id, id, 'awaited' FROM journeys WHERE invoice_id IS NOT NULL;
