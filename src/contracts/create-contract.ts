import { sha256Hex, toHex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { NotFoundError, ValidationError } from "../errors";
import { log } from "../log";
import { type Contract, findContractByJourney, insertContract } from "../store/contracts";

/** The longest agreement text accepted (characters); far above any real one, well under D1's row limit. */
export const MAX_CONTRACT_TEXT = 100_000;

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
 * first text wins: what was sent is what the client reads). Its link is
 * signed from the contract (src/contracts/links.ts), never stored.
 */
export async function createOrGetContract(
  env: AppEnv,
  input: NewContract,
): Promise<{ contract: Contract; created: boolean }> {
  const title = input.title.trim();
  if (!title || title.length > 200) throw new ValidationError("A contract needs a title of 1 to 200 characters");
  if (!input.text.trim() || input.text.length > MAX_CONTRACT_TEXT) {
    throw new ValidationError(`A contract needs a text of 1 to ${MAX_CONTRACT_TEXT} characters`);
  }

  const id = `ctr_${toHex(crypto.getRandomValues(new Uint8Array(16)))}`;
  const created = await insertContract(env.DB, {
    id,
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    // token_hash predates signed links (the link names the contract now); it only has to be unique.
    tokenHash: await sha256Hex(id),
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
  }
  return { contract, created };
}
