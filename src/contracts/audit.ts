import { toHex } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import type { SecretKeys } from "../crypto/secret-box";
import { retiredPurposeKeys, type VerifierKeys } from "../links/retired-keys";
import { contractKeys, signWith } from "./keys";

/** The facts of one acceptance that the audit signature covers. */
export interface AuditRecord {
  contractId: string;
  journeyId: string;
  /** The name the client typed. */
  name: string;
  /** CF-Connecting-IP, or "" when absent. */
  ip: string;
  userAgent: string;
  /** ISO-8601 UTC with milliseconds. */
  acceptedAt: string;
  /** SHA-256 (hex) of the exact text accepted. */
  textSha256: string;
}

const SIGNATURE_VERSION = "v1";

/**
 * The bytes that are signed: the record's seven fields as JSON with keys in
 * sorted order and no whitespace. Every value is a string, so this equals its
 * RFC 8785 (JCS) canonical form, and any verifier can rebuild it from the
 * stored columns.
 */
export function canonicalAuditJson(record: AuditRecord): string {
  const fields: Record<keyof AuditRecord, string> = {
    acceptedAt: String(record.acceptedAt),
    contractId: String(record.contractId),
    ip: String(record.ip),
    journeyId: String(record.journeyId),
    name: String(record.name),
    textSha256: String(record.textSha256),
    userAgent: String(record.userAgent),
  };
  const sorted = Object.keys(fields).sort() as (keyof AuditRecord)[];
  return JSON.stringify(Object.fromEntries(sorted.map((k) => [k, fields[k]])));
}

/**
 * Signs an acceptance: `v1.` + hex HMAC-SHA256 of the canonical JSON under
 * the "contract-audit" key derived from ENCRYPTION_KEY (src/contracts/keys.ts).
 */
export async function signAudit(keys: SecretKeys, record: AuditRecord): Promise<string> {
  const [current] = await contractKeys(keys, "contract-audit");
  if (!current) throw new Error("no contract-audit key");
  return `${SIGNATURE_VERSION}.${toHex(await signWith(current, canonicalAuditJson(record)))}`;
}

/**
 * True when `signature` was made over exactly this record by the current or
 * previous ENCRYPTION_KEY, or by a retired one whose "contract-audit" key a
 * rotation kept (src/links/retired-keys.ts; read only when the others fail).
 * Compared in constant time.
 */
export async function verifyAudit(keys: VerifierKeys, record: AuditRecord, signature: string): Promise<boolean> {
  const message = canonicalAuditJson(record);
  const signedByAny = async (candidates: CryptoKey[]) => {
    let ok = false;
    for (const key of candidates) {
      const expected = `${SIGNATURE_VERSION}.${toHex(await signWith(key, message))}`;
      if (timingSafeEqual(expected, signature)) ok = true;
    }
    return ok;
  };
  if (await signedByAny(await contractKeys(keys, "contract-audit"))) return true;
  return signedByAny(await retiredPurposeKeys(keys, "contract-audit", Date.now()));
}
