import { sha256Hex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { describeError, log } from "../log";
import { contractSigned } from "../runtime/protocol";
import { signalJourney } from "../runtime/signal";
import {
  type Contract,
  type ContractAcceptance,
  findContractByJourney,
  markContractAccepted,
  recordSignalOutcome,
} from "../store/contracts";
import { type AuditRecord, signAudit } from "./audit";

/** Bounds of the typed name, in characters (code points). */
export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 120;

/**
 * The typed name, NFC-normalized with runs of whitespace collapsed, or null
 * when it is not 2–120 characters or holds control characters.
 */
export function normalizeSignerName(raw: string): string | null {
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH || length > NAME_MAX_LENGTH) return null;
  if (/\p{Cc}/u.test(name)) return null;
  return name;
}

/** What the client submitted, as checked by the route. */
export interface Submission {
  name: string;
  ip: string;
  userAgent: string;
}

/** The audit record of a stored acceptance, rebuilt from its columns (for verification). */
export function auditRecordOf(contract: Contract): AuditRecord | null {
  const a = contract.acceptance;
  if (!a) return null;
  return {
    contractId: contract.id,
    journeyId: contract.journeyId,
    name: a.name,
    ip: a.ip,
    userAgent: a.userAgent,
    acceptedAt: a.acceptedAt,
    textSha256: a.textSha256,
  };
}

/**
 * Signs and stores the acceptance of a "sent" contract, then tells the
 * journey. Returns the stored contract and whether this call accepted it
 * (false when a concurrent request got there first: its record stands).
 * The caller has checked that the client saw exactly `contract.bodyText`.
 */
export async function acceptContract(
  env: AppEnv,
  contract: Contract,
  submission: Submission,
  now = new Date(),
): Promise<{ contract: Contract; accepted: boolean }> {
  // The stored text must still be the text that was hashed when it was sent.
  const textSha256 = await sha256Hex(contract.bodyText);
  if (textSha256 !== contract.bodySha256)
    throw new Error(`contract ${contract.id}: stored text does not match its hash`);

  const record: AuditRecord = {
    contractId: contract.id,
    journeyId: contract.journeyId,
    name: submission.name,
    ip: submission.ip,
    userAgent: submission.userAgent,
    acceptedAt: now.toISOString(),
    textSha256,
  };
  const acceptance: ContractAcceptance = {
    name: record.name,
    ip: record.ip,
    userAgent: record.userAgent,
    acceptedAt: record.acceptedAt,
    textSha256,
    signature: await signAudit(env, record),
  };
  const accepted = await markContractAccepted(env.DB, contract.id, acceptance);
  const stored = (await findContractByJourney(env.DB, contract.journeyId)) ?? contract;
  if (!accepted) return { contract: stored, accepted };
  log.info("contract accepted", {
    tenant: contract.workspaceId,
    journeyId: contract.journeyId,
    contractId: contract.id,
  });
  return { contract: await signalContractSigned(env, stored), accepted };
}

/**
 * Sends `contract-signed` to the journey and records the outcome on the
 * contract. A failure to send is logged and leaves the outcome empty, so the
 * next submission on the page sends it again; the acceptance itself stands.
 */
export async function signalContractSigned(env: AppEnv, contract: Contract): Promise<Contract> {
  if (!contract.acceptance) return contract;
  const payload = { contractId: contract.id, acceptedAt: contract.acceptance.acceptedAt };
  const fields = { tenant: contract.workspaceId, journeyId: contract.journeyId, contractId: contract.id };
  try {
    const { outcome } = await signalJourney(env, contract.journeyId, contractSigned, payload, contract.workspaceId);
    await recordSignalOutcome(env.DB, contract.id, outcome);
    log.info("contract signal", { ...fields, outcome });
    return { ...contract, signalOutcome: outcome };
  } catch (error) {
    log.error("contract signal failed", { ...fields, reason: describeError(error) });
    return contract;
  }
}
