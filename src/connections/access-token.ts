import { RevokedGrantError } from "../../integrations/core/provider-oauth";
import { oauthFor } from "../../integrations/registry";
import type { AppEnv } from "../env";
import { ConnectionError, IntegrationError } from "../errors";
import { log } from "../log";
import {
  type Connection,
  getConnection,
  type Provider,
  setConnectionStatus,
  type TokenCredentials,
  updateCredentials,
} from "../store/connections";
import { releaseRefreshLease, takeRefreshLease } from "../store/refresh-leases";

/** Refresh this long before expiry (HubSpot tokens live 30 minutes, Google's an hour). */
const EXPIRY_SKEW_MS = 5 * 60_000;
/** How long one isolate may hold a connection's refresh lease. */
const LEASE_MS = 20_000;
/** How long a caller waits for another isolate's refresh before trying itself. */
const WAIT_FOR_OTHER_MS = 10_000;

const fresh = (c: TokenCredentials, now: number) =>
  Boolean(c.accessToken) && (c.expiresAt === undefined || c.expiresAt - EXPIRY_SKEW_MS > now);

/** Refreshes in flight in this isolate, so concurrent callers share one token call. */
const inFlight = new Map<string, Promise<string>>();

async function takeLease(env: AppEnv, connection: Connection, now: number): Promise<boolean> {
  return takeRefreshLease(env.DB, connection.id, now, now + LEASE_MS);
}

async function releaseLease(env: AppEnv, connection: Connection, refreshed: boolean): Promise<void> {
  await releaseRefreshLease(env.DB, connection.id, refreshed);
}

/** Marks the connection for reconnecting: the owner sees it, and journeys that need it pause until then. */
export async function flagNeedsReconnect(
  env: AppEnv,
  workspaceId: string,
  provider: Provider,
  reason: string,
): Promise<void> {
  await setConnectionStatus(env.DB, workspaceId, provider, "needs_reconnect");
  log.warn("connection needs reconnect", { tenant: workspaceId, provider, reason });
}

async function markNeedsReconnect(
  env: AppEnv,
  workspaceId: string,
  provider: Provider,
  reason: string,
): Promise<never> {
  await flagNeedsReconnect(env, workspaceId, provider, reason);
  throw new ConnectionError(provider, `Reconnect ${provider}: ${reason}`);
}

async function refresh(
  env: AppEnv,
  workspaceId: string,
  provider: Provider,
  stale: string | undefined,
): Promise<string> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  for (;;) {
    const connection = await getConnection(env.DB, env, workspaceId, provider);
    const { credentials } = connection;
    // Someone else already replaced the stale token.
    if (credentials.accessToken && credentials.accessToken !== stale && fresh(credentials, Date.now())) {
      return credentials.accessToken;
    }
    const oauth = oauthFor(provider);
    if (!credentials.refreshToken || !oauth.refresh) {
      return await markNeedsReconnect(
        env,
        workspaceId,
        provider,
        "the credential was rejected and cannot be refreshed",
      );
    }
    if (!(await takeLease(env, connection, Date.now()))) {
      if (Date.now() > deadline) {
        throw new IntegrationError({
          provider,
          httpStatus: 0,
          message: `${provider} token refresh is busy`,
          retryable: true,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    let refreshed = false;
    try {
      const next = await oauth.refresh(env, credentials.refreshToken);
      // Providers that rotate refresh tokens send a new one; the others keep the old.
      await updateCredentials(env.DB, env, workspaceId, provider, {
        ...next,
        refreshToken: next.refreshToken ?? credentials.refreshToken,
      });
      refreshed = true;
      if (!next.accessToken) {
        throw new IntegrationError({
          provider,
          httpStatus: 200,
          message: `${provider} refresh returned no token`,
          retryable: false,
        });
      }
      return next.accessToken;
    } catch (error) {
      if (error instanceof RevokedGrantError) {
        return await markNeedsReconnect(env, workspaceId, provider, "the grant was revoked or expired");
      }
      throw error;
    } finally {
      await releaseLease(env, connection, refreshed);
    }
  }
}

/**
 * A valid access token for the workspace's connection: the stored one while
 * fresh, else a refreshed one. `stale` (a token the provider just rejected)
 * forces a refresh unless another caller already replaced it. Refreshes of
 * one connection are serialized: in this isolate by a shared promise, across
 * isolates by a lease row in D1.
 */
export async function accessToken(
  env: AppEnv,
  workspaceId: string,
  provider: Provider,
  options: { stale?: string; now?: number } = {},
): Promise<string> {
  const { credentials } = await getConnection(env.DB, env, workspaceId, provider);
  if (options.stale === undefined && credentials.accessToken && fresh(credentials, options.now ?? Date.now())) {
    return credentials.accessToken;
  }
  const key = `${workspaceId}:${provider}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = refresh(env, workspaceId, provider, options.stale ?? credentials.accessToken).finally(() => {
      inFlight.delete(key);
    });
    inFlight.set(key, pending);
  }
  return pending;
}
