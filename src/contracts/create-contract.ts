import { sha256Hex, toBase64Url, toHex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { NotFoundError, ValidationError } from "../errors";
import { log } from "../log";
import {
  type Contract,
  findContractByJourney,
  findContractByTokenHash,
  insertContract,
  replaceTokenHash,
} from "../store/contracts";
import { contractKeys, signWith } from "./keys";

/**
 * Contracts as a journey issues them and a client opens them: created once
 * per journey with a URL token, found again by that token. The rows are
 * read and written by src/store/contracts.ts.
 */

/** The shape of a URL token: base64url of a 32-byte HMAC. */
export const CONTRACT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The longest agreement text accepted (characters); far above any real one, well under D1's row limit. */
export const MAX_CONTRACT_TEXT = 100_000;

/**
 * A contract's URL token: base64url(HMAC-SHA256(contract-token key, contractId)).
 * Derived, so a retried step can rebuild the same URL; only its SHA-256 is stored.
 */
async function tokenFor(key: CryptoKey, contractId: string): Promise<string> {
  return toBase64Url(await signWith(key, contractId));
}

/** What a contract is created from. */
export interface NewContract {
  workspaceId: string;
  journeyId: string;
  title: string;
  /** The exact text the client will read; stored and hashed as given. */
  text: string;
}

/**
 * Creates the journey's contract, or returns the one it already has (the
 * first text wins: what was sent is what the client reads). Either way the
 * URL token comes back. After an ENCRYPTION_KEY rotation that dropped the key
 * a token was derived with, the token is re-issued (the old link stops working).
 */
export async function createOrGetContract(
  env: AppEnv,
  input: NewContract,
): Promise<{ contract: Contract; token: string; created: boolean }> {
  const title = input.title.trim();
  if (!title || title.length > 200) throw new ValidationError("A contract needs a title of 1 to 200 characters");
  if (!input.text.trim() || input.text.length > MAX_CONTRACT_TEXT) {
    throw new ValidationError(`A contract needs a text of 1 to ${MAX_CONTRACT_TEXT} characters`);
  }
  const keys = await contractKeys(env, "contract-token");
  const [current] = keys;
  if (!current) throw new Error("no contract-token key");

  const id = `ctr_${toHex(crypto.getRandomValues(new Uint8Array(16)))}`;
  const token = await tokenFor(current, id);
  const created = await insertContract(env.DB, {
    id,
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    tokenHash: await sha256Hex(token),
    title,
    bodyText: input.text,
    bodySha256: await sha256Hex(input.text),
  });
  const contract = await findContractByJourney(env.DB, input.journeyId);
  if (!contract || contract.workspaceId !== input.workspaceId) {
    throw new NotFoundError("unknown_journey", `Journey ${input.journeyId} does not exist in this workspace`);
  }
  if (created) {
    log.info("contract created", { tenant: input.workspaceId, journeyId: input.journeyId, contractId: contract.id });
    return { contract, token, created };
  }
  for (const key of keys) {
    const existing = await tokenFor(key, contract.id);
    if ((await sha256Hex(existing)) === contract.tokenHash) return { contract, token: existing, created: false };
  }
  const reissued = await tokenFor(current, contract.id);
  const tokenHash = await sha256Hex(reissued);
  await replaceTokenHash(env.DB, contract.id, tokenHash);
  log.warn("contract token re-issued after key rotation", { tenant: input.workspaceId, contractId: contract.id });
  return { contract: { ...contract, tokenHash }, token: reissued, created: false };
}

/** The contract a URL token opens, or null (malformed or unknown token). */
export async function findContractByToken(db: D1Database, token: string): Promise<Contract | null> {
  if (!CONTRACT_TOKEN_PATTERN.test(token)) return null;
  return findContractByTokenHash(db, await sha256Hex(token));
}
