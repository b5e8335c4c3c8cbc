-- Every public key that ever signed an agreement evidence pack (docs/evidence-pack.md), so packs
-- keep verifying against the published JWKS after ENCRYPTION_KEY is rotated and the previous key
-- is removed. Public keys only: the private keys are derived from ENCRYPTION_KEY and never stored.
-- One deployment-wide set (the signing key is the deployment's, not a workspace's).
CREATE TABLE evidence_keys (
  kid            TEXT PRIMARY KEY,   -- RFC 7638 SHA-256 thumbprint of the public key
  public_jwk     TEXT NOT NULL,      -- the public JWK as published (kty, crv, x, kid, alg, use)
  first_used_at  TEXT NOT NULL       -- ISO-8601 UTC, when the key first signed a pack
);
