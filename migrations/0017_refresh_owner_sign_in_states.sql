-- Issue 12 (task 12C).
-- The refresh lease names its holder: release only clears a lease this caller still holds, so a caller
-- whose lease ran out and was taken over cannot free the new holder's lease.
ALTER TABLE connections ADD COLUMN refresh_lease_owner TEXT;

-- Owner sign-in is stateless until the callback (its state, PKCE verifier, nonce and return path travel
-- sealed in the flow cookie); the callback records each sign-in state it accepts here, so a state is used
-- once. Rows live as long as the state would (ten minutes) and the scheduled purge deletes them after.
CREATE TABLE sign_in_used_states (
  state_hash  TEXT PRIMARY KEY,   -- SHA-256 of the `state` parameter
  expires_at  INTEGER NOT NULL    -- epoch ms: the state's own expiry
);
