import type { SecretKeys } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { NotFoundError } from "../errors";
import { signLink, verifyLink } from "../links/capability";
import { type PublicUrlEnv, publicUrl } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import { type Contract, findContract } from "../store/contracts";

/**
 * The contract's hosted link `<public URL>/c/<token>`: a capability link of
 * purpose "contract" (src/links/purposes.ts) naming the contract, issued at
 * its sending time, so the same contract under the same key always gets the
 * same URL (a retried step sends the link it built before).
 */
export async function contractUrl(
  env: SecretKeys & PublicUrlEnv,
  contract: Pick<Contract, "id" | "sentAt">,
): Promise<string> {
  const issuedAt = Date.parse(contract.sentAt);
  const token = await signLink(env, LINK_PURPOSES.contract, { sub: contract.id }, { issuedAt });
  return `${publicUrl(env)}/c/${token}`;
}

/** The contract a link opens: a LinkError for a bad or expired link, a 404 when the contract is gone. */
export async function contractForLink(env: AppEnv, token: string): Promise<Contract> {
  const link = await verifyLink(env, LINK_PURPOSES.contract, token);
  const contract = await findContract(env.DB, link.sub);
  if (!contract) throw new NotFoundError("unknown_contract", "No agreement for this link");
  return contract;
}
