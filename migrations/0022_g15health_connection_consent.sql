-- When the owner last granted a connection (each connect or reconnect), for the connection warnings
-- (src/maintenance/health-warnings.ts): a Google grant refused about seven days after it is the mark of an
-- OAuth app still in testing. created_at keeps the first connection. Documented in docs/connection-health.md.
ALTER TABLE connections ADD COLUMN consented_at TEXT;
UPDATE connections SET consented_at = updated_at;
-- When the granted refresh token ends, where the provider says so in its token response (Google's
-- refresh_token_expires_in, sent for an OAuth app in testing): the google_testing warning comes before
-- the grant dies. NULL: the provider named no end. Written at each grant.
ALTER TABLE connections ADD COLUMN refresh_expires_at TEXT;
