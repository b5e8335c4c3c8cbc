import type { SecretKeys } from "../crypto/secret-box";
import type { AppEnv } from "../env";
import { NotFoundError } from "../errors";
import type { PublicUrlEnv } from "../links/public-url";
import { LINK_PURPOSES } from "../links/purposes";
import { openRecordLink, recordUrl } from "../links/record-links";
import { type Contract, findContract } from "../store/contracts";

/** The contract's hosted link `<public URL>/c/<token>` (a capability link of purpose "contract", issued at sending). */
export function contractUrl(
  env: SecretKeys & PublicUrlEnv,
  contract: Pick<Contract, "id" | "sentAt">,
): Promise<string> {
  return recordUrl(env, LINK_PURPOSES.contract, "/c", contract);
}

/** The contract a link opens: a LinkError for a bad or expired link, a 404 when the contract is gone. */
export function contractForLink(env: AppEnv, token: string): Promise<Contract> {
  const missing = () => new NotFoundError("unknown_contract", "No agreement for this link");
  return openRecordLink(env, LINK_PURPOSES.contract, token, (id) => findContract(env.DB, id), missing);
}
