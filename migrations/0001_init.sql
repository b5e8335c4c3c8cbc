-- Clientflow storage schema, v1. Documented in docs/storage-schema.md.
-- Timestamps are ISO-8601 UTC text (strftime with milliseconds).

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  settings    TEXT NOT NULL DEFAULT '{}',  -- JSON, validated by src/store/workspace-settings.ts
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE connections (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id         TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  provider             TEXT NOT NULL CHECK (provider IN ('hubspot', 'stripe', 'notion', 'google')),
  external_account_id  TEXT,                 -- HubSpot portalId, Stripe acct_…, Notion workspace id, Google email
  credentials          TEXT NOT NULL,        -- AES-GCM envelope (src/crypto/secret-box.ts), never plain text
  config               TEXT NOT NULL DEFAULT '{}',  -- non-secret JSON (Notion board id, scopes)
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reconnect', 'disconnected')),
  source               TEXT NOT NULL DEFAULT 'oauth' CHECK (source IN ('oauth', 'env', 'key')),
  created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (workspace_id, provider)
);
-- Webhooks name the external account (HubSpot portalId, Stripe account): one workspace per such
-- account. A Google or Notion account may serve several workspaces.
CREATE UNIQUE INDEX connections_by_webhook_account
  ON connections (provider, external_account_id)
  WHERE external_account_id IS NOT NULL AND provider IN ('hubspot', 'stripe');
CREATE INDEX connections_by_account ON connections (provider, external_account_id);

CREATE TABLE journeys (
  id                    TEXT PRIMARY KEY,   -- equals the Workflow instance id
  workspace_id          TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  deal_id               TEXT NOT NULL,      -- HubSpot deal id
  contact_id            TEXT,               -- HubSpot contact id, once read
  client_name           TEXT,
  phase                 TEXT NOT NULL DEFAULT 'onboarding'
                        CHECK (phase IN ('lead', 'onboarding', 'fulfillment', 'offboarding', 'follow_up')),
  status                TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'waiting', 'paused', 'complete', 'failed', 'unpaid', 'cancelled')),
  workflow_instance_id  TEXT NOT NULL,
  invoice_id            TEXT,               -- Stripe invoice, routes invoice.* events
  created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (workspace_id, deal_id)            -- one journey per deal, however often it closes
);

CREATE TABLE journey_steps (
  journey_id   TEXT NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,               -- the permanent step name, e.g. stripe.create-invoice
  status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'waiting')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  result       TEXT,                        -- small JSON of ids/urls the step produced
  last_error   TEXT,                        -- one line, no secrets
  started_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at  TEXT,
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (journey_id, name)
);

CREATE TABLE webhook_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  provider      TEXT NOT NULL,
  workspace_id  TEXT NOT NULL DEFAULT '',   -- '' while the tenant is unknown
  event_id      TEXT NOT NULL,
  event_type    TEXT NOT NULL,
  journey_id    TEXT,
  outcome       TEXT,                       -- started, signalled, ignored, duplicate_deal, unknown_tenant, unknown_journey, …
  received_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  processed_at  TEXT,                       -- NULL until dispatched: a redelivery re-dispatches
  UNIQUE (provider, workspace_id, event_id)
);
CREATE INDEX webhook_events_by_workspace ON webhook_events (workspace_id, received_at);
