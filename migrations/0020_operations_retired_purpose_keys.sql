-- Issue 14 (task 14B2): verification keys carried forward by key rotation, so ENCRYPTION_KEY_PREVIOUS can be
-- removed as soon as `npm run rotate-key` reports nothing left under it (docs/operations.md, "Key rotation").
-- One row per retired ENCRYPTION_KEY and verification purpose (src/links/verification-purposes.ts): the 32 bytes
-- derived from the retired key for that purpose, sealed under the current key (src/crypto/secret-box.ts, so the
-- next rotation re-seals them like any credential). Links and audit signatures made under the retired key verify
-- against it until `usable_until`; the scheduled purge deletes it after that.
CREATE TABLE retired_purpose_keys (
  purpose       TEXT NOT NULL,      -- the derivation label, e.g. 'survey-token', 'contract-audit'
  key_id        TEXT NOT NULL,      -- the retired ENCRYPTION_KEY's key id (the id sealed values carry)
  sealed_key    TEXT NOT NULL,      -- the derived bytes (base64), sealed; associated data 'retired-purpose-key:<purpose>:<key_id>'
  retired_at    INTEGER NOT NULL,   -- epoch ms of the rotation run that stored it
  usable_until  INTEGER,            -- epoch ms: retired_at + the purpose's longest lifetime; NULL = kept with the records it verifies
  PRIMARY KEY (purpose, key_id)
);
