import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";

/*
 * The agreement evidence pack's format, canonical form, signer and verifier.
 * This file imports nothing from the app (only `jose`), so the Worker, the
 * tests and the node script `scripts/verify-evidence.mjs` share exactly one
 * signer and one verifier (the signer doubles as the tests' fixture signer).
 */

/** The format name every pack carries in `evidence.format`. */
export const EVIDENCE_FORMAT = "clientflow-agreement-evidence/v1";

/** The stable path of the public keys (a JWKS) that verify evidence packs. */
export const EVIDENCE_KEYS_PATH = "/.well-known/clientflow-evidence-keys.json";

/** What the pack says about how its signature is made (documented in docs/evidence-pack.md). */
export const CANONICALIZATION =
  "JSON with object keys sorted by UTF-16 code units at every level, no whitespace, strings as JSON.stringify writes them, integers only (RFC 8785 for this subset)";

/** A JSON value the canonical form accepts: no floats, no undefined. */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

/**
 * The canonical JSON text of a value: keys sorted at every level, no
 * whitespace. Numbers must be safe integers (amounts are strings or minor
 * units), so the output equals RFC 8785 (JCS) for every value it accepts and
 * any language can rebuild it. Throws on anything else.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON holds integers only, not ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The signature block of a pack. */
export interface EvidenceSignature {
  /** A compact JWS with a detached payload (`<header>..<signature>`, RFC 7515 Appendix F). */
  jws: string;
  alg: "EdDSA";
  kid: string;
  /** Where the public keys are published (the deployment's `/.well-known/clientflow-evidence-keys.json`). */
  jwksUrl: string;
  canonicalization: string;
}

/** A downloaded pack: the evidence and the signature over its canonical JSON. */
export interface EvidencePack<E extends object = Record<string, unknown>> {
  evidence: E;
  signature: EvidenceSignature;
}

/** The outcome of a verification: each check in words, and whether all passed. */
export interface VerifyResult {
  ok: boolean;
  checks: { check: string; ok: boolean; detail?: string }[];
}

function base64Url(bytes: Uint8Array): string {
  // Byte by byte: a spread of a long text would exceed the argument limit.
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes a pack's JWS signs, base64url: the canonical JSON of `evidence` as UTF-8. */
export function evidencePayload(evidence: unknown): string {
  return base64Url(new TextEncoder().encode(canonicalJson(evidence)));
}

/**
 * Signs evidence: a compact JWS (EdDSA, Ed25519, RFC 8037) over the canonical
 * JSON of `evidence`, its payload detached (RFC 7515 Appendix F), so the pack
 * holds the evidence once and any change to it breaks the signature.
 */
export async function signEvidencePack<E extends object>(
  evidence: E,
  key: { privateKey: CryptoKey; kid: string },
  jwksUrl: string,
): Promise<EvidencePack<E>> {
  const payload = evidencePayload(evidence);
  const signed = await new CompactSign(new TextEncoder().encode(canonicalJson(evidence)))
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "clientflow-evidence+jws" })
    .sign(key.privateKey);
  const [header, encoded, signature] = signed.split(".");
  // jose's base64url of the payload must be the one a verifier rebuilds.
  if (encoded !== payload) throw new Error("evidence payload encoding differs from the verifier's");
  return {
    evidence,
    signature: {
      jws: `${header}..${signature}`,
      alg: "EdDSA",
      kid: key.kid,
      jwksUrl,
      canonicalization: CANONICALIZATION,
    },
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Verifies a pack against a key set: its shape, the SHA-256 of the agreement
 * text, and the Ed25519 signature over the canonical evidence under a key of
 * `jwks` named by the JWS header. Never throws for a bad pack: every failure
 * is a check that did not pass.
 */
export async function verifyEvidencePack(pack: unknown, jwks: JSONWebKeySet): Promise<VerifyResult> {
  const checks: VerifyResult["checks"] = [];
  const done = () => ({ ok: checks.every((c) => c.ok), checks });
  const evidence = isRecord(pack) ? pack.evidence : undefined;
  const signature = isRecord(pack) ? pack.signature : undefined;
  const agreement = isRecord(evidence) ? evidence.agreement : undefined;
  const shaped =
    isRecord(evidence) &&
    evidence.format === EVIDENCE_FORMAT &&
    isRecord(agreement) &&
    typeof agreement.text === "string" &&
    typeof agreement.textSha256 === "string" &&
    isRecord(signature) &&
    typeof signature.jws === "string";
  checks.push({ check: `the file is a ${EVIDENCE_FORMAT} pack`, ok: shaped });
  if (!shaped) return done();

  const actual = await sha256Hex(agreement.text as string);
  checks.push({
    check: "the agreement text's SHA-256 equals agreement.textSha256",
    ok: actual === agreement.textSha256,
    detail: actual,
  });

  const [header, payload, sig, ...rest] = (signature.jws as string).split(".");
  if (header === undefined || payload !== "" || sig === undefined || rest.length > 0) {
    checks.push({ check: "the signature is a compact JWS with a detached payload", ok: false });
    return done();
  }
  let canonical: string;
  try {
    canonical = evidencePayload(evidence);
  } catch (error) {
    checks.push({ check: "the evidence has a canonical form", ok: false, detail: String(error) });
    return done();
  }
  try {
    const verified = await compactVerify(`${header}.${canonical}.${sig}`, createLocalJWKSet(jwks), {
      algorithms: ["EdDSA", "Ed25519"],
    });
    checks.push({
      check: "the Ed25519 signature over the canonical evidence verifies with the published key",
      ok: true,
      detail: `kid ${String(verified.protectedHeader.kid)}`,
    });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    checks.push({
      check: "the Ed25519 signature over the canonical evidence verifies with the published key",
      ok: false,
      detail: reason,
    });
  }
  return done();
}
