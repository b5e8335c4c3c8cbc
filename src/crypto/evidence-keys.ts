import { calculateJwkThumbprint, type JWK } from "jose";
import { AppError } from "../errors";
import { derivePurposeBytes } from "./purpose-keys";
import type { SecretKeys } from "./secret-box";

/** The purpose label of the evidence signing key (src/crypto/purpose-keys.ts): no other value uses it. */
export const EVIDENCE_KEY_PURPOSE = "agreement-evidence-ed25519";

/**
 * PKCS #8 wrapping of a raw Ed25519 private key (RFC 8410 §7): the fixed DER
 * prefix, then the 32-byte seed. WebCrypto imports Ed25519 private keys only
 * as PKCS #8 or JWK, so the derived seed is wrapped this way.
 */
const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/** One evidence signing key: the private key, its public JWK and its id (the JWK thumbprint, RFC 7638). */
export interface EvidenceKey {
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: "EdDSA"; use: "sig" };
  kid: string;
}

async function evidenceKeyFrom(secret: string): Promise<EvidenceKey> {
  const seed = await derivePurposeBytes(secret, EVIDENCE_KEY_PURPOSE);
  const pkcs8 = new Uint8Array([...PKCS8_ED25519_PREFIX, ...seed]);
  // Extractable only so the public half can be published; the private key never leaves this isolate.
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.x) throw new Error("Ed25519 key export failed");
  const publicPart = { kty: "OKP", crv: "Ed25519", x: jwk.x };
  const kid = await calculateJwkThumbprint(publicPart, "sha256");
  return { privateKey, publicJwk: { ...publicPart, kid, alg: "EdDSA", use: "sig" }, kid };
}

/**
 * The Ed25519 keys that sign agreement evidence packs, derived from
 * ENCRYPTION_KEY (first, signs new packs) and ENCRYPTION_KEY_PREVIOUS (during
 * a rotation): the 32 derived bytes of the purpose label are the private
 * key's seed. Deriving, not storing, means no new secret to keep; the public
 * halves are published so a pack verifies without any of Clientflow's secrets.
 */
export async function evidenceKeys(keys: SecretKeys): Promise<EvidenceKey[]> {
  if (!keys.ENCRYPTION_KEY) throw new AppError("missing_encryption_key", "ENCRYPTION_KEY secret is not set");
  const secrets = [keys.ENCRYPTION_KEY, keys.ENCRYPTION_KEY_PREVIOUS].filter((s): s is string => Boolean(s));
  return Promise.all(secrets.map(evidenceKeyFrom));
}

/**
 * The public JWKS (RFC 7517 §5) of the keys derived from the secrets given,
 * current first. The published JWKS adds every key that ever signed
 * (src/contracts/evidence-keyring.ts), so packs outlive a rotation.
 */
export async function evidenceJwks(keys: SecretKeys): Promise<{ keys: EvidenceKey["publicJwk"][] }> {
  return { keys: (await evidenceKeys(keys)).map((k) => k.publicJwk) };
}
