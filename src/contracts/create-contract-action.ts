import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { createOrGetContract, type NewContract } from "./create-contract";

/** The small JSON a Workflow step keeps: the contract's id and the link to send. */
export interface EnsuredContract {
  contractId: string;
  /** `<origin>/c/<token>`: the hosted page where the client reads and accepts. */
  url: string;
  /** True only for the call that created the row. */
  created: boolean;
}

/**
 * Creates the journey's contract once and returns its acceptance link. Safe
 * to call again from a retried or replayed step: the same journey gets the
 * same contract and the same URL. `origin` is the public origin of the
 * Worker (a Workflow has no request to read it from); it defaults to
 * PUBLIC_URL.
 */
export async function ensureContract(
  env: AppEnv,
  input: NewContract,
  origin: string | undefined = env.PUBLIC_URL,
): Promise<EnsuredContract> {
  if (!origin) throw new AppError("missing_public_url", "PUBLIC_URL is not set: contract links need a public origin");
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    throw new AppError("missing_public_url", "The public origin for contract links is not a URL");
  }
  const { contract, token, created } = await createOrGetContract(env, input);
  return { contractId: contract.id, url: `${base.origin}/c/${token}`, created };
}
