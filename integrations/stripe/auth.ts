import type { AppEnv } from "../../src/env";
import { getConnection } from "../../src/store/connections";

/** The workspace's Stripe secret (or restricted) key. */
export async function stripeSecretKey(env: AppEnv, workspaceId: string): Promise<string> {
  const connection = await getConnection(env.DB, env, workspaceId, "stripe");
  return connection.credentials.secretKey;
}
