import type { AppEnv } from "../env";
import { publicUrl } from "../links/public-url";
import { createOrGetContract, type NewContract } from "./create-contract";
import { contractUrl } from "./links";

/** The small JSON a Workflow step keeps: the contract's id and the link to send. */
export interface EnsuredContract {
  contractId: string;
  /** `<public URL>/c/<token>`: the hosted page where the client reads and accepts. */
  url: string;
  /** True only for the call that created the row. */
  created: boolean;
}

/**
 * Creates the journey's contract once and returns its acceptance link. Safe
 * to call again from a retried or replayed step: the same journey gets the
 * same contract and the same URL. Built in a Workflow step, so PUBLIC_URL
 * must be set; checked before anything is stored.
 */
export async function ensureContract(env: AppEnv, input: NewContract): Promise<EnsuredContract> {
  publicUrl(env);
  const { contract, created } = await createOrGetContract(env, input);
  return { contractId: contract.id, url: await contractUrl(env, contract), created };
}
