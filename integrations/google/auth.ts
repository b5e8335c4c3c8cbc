import type { AppEnv } from "../../src/env";
import { ConnectionError } from "../../src/errors";
import { getConnection } from "../../src/store/connections";

export { googleScopes } from "./oauth";

/** The connected Google account's address: the From of every email. */
export async function googleConnectedEmail(env: AppEnv, workspaceId: string): Promise<string> {
  const connection = await getConnection(env.DB, env, workspaceId, "google");
  const email = connection.config.email ?? connection.externalAccountId;
  if (!email) throw new ConnectionError("google", "Reconnect google: the account email is unknown");
  return email;
}
