import type { Provider } from "../../integrations/core/provider";
import { integrationFor } from "../../integrations/registry";
import type { AppEnv } from "../env";
import { describeError, log } from "../log";
import { withConnection } from "./action-context";

/**
 * Runs the integration's `prepare` for a workspace's newly saved connection
 * (HubSpot: Clientflow's deal properties), through the connection's token
 * and rate budget. Best effort: the connection stays saved whatever happens,
 * a failure is logged, and the journeys' own fallback creates what they miss.
 * Answers whether the account is prepared (true where there is nothing to do).
 */
export async function prepareConnection(env: AppEnv, workspaceId: string, provider: Provider): Promise<boolean> {
  const prepare = integrationFor(provider).prepare as ((ctx: unknown) => Promise<void>) | undefined;
  if (!prepare) return true;
  try {
    await withConnection(env, workspaceId, provider, (ctx) => prepare(ctx));
    return true;
  } catch (error) {
    log.warn("connected account not prepared", { tenant: workspaceId, provider, reason: describeError(error) });
    return false;
  }
}
