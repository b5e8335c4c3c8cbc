import { RevokedGrantError } from "../../integrations/core/provider-oauth";
import { oauthFor } from "../../integrations/registry";
import type { AppEnv } from "../env";
import { ConnectionError, IntegrationError } from "../errors";
import { describeError, log } from "../log";
import {
  type Connection,
  getConnection,
  type Provider,
  setConnectionStatus,
  type TokenCredentials,
  updateCredentials,
} from "../store/connections";
import { releaseRefreshLease, renewRefreshLease, takeRefreshLease } from "../store/refresh-leases";
import { randomToken } from "../store/sessions";

/** Refresh this long before expiry (HubSpot tokens live 30 minutes, Google's an hour). */
const EXPIRY_SKEW_MS = 5 * 60_000;
/** How long one isolate may hold a connection's refresh lease. */
const LEASE_MS = 20_000;
/**
 * The token call's timeout: well inside the lease, so the lease cannot run
 * out (and another isolate refresh with the same token) while the call is
 * still open; the rest of the lease covers storing the new tokens.
 */
const REFRESH_TIMEOUT_MS = 8_000;
/** How long a caller waits for another isolate's refresh before trying itself. */
const WAIT_FOR_OTHER_MS = 10_000;
/** Attempts at storing refreshed tokens before keeping them in memory. */
const SAVE_ATTEMPTS = 3;

const fresh = (c: TokenCredentials, now: number) =>
  Boolean(c.accessToken) && (c.expiresAt === undefined || c.expiresAt - EXPIRY_SKEW_MS > now);

/** Refreshes in flight in this isolate, so concurrent callers share one token call. */
const inFlight = new Map<string, Promise<string>>();

/**
 * Tokens a refresh obtained but could not store (D1 refused every attempt):
 * with a provider that rotates refresh tokens (Notion; HubSpot's 2026-03
 * endpoint sends one with every refresh) the stored refresh token may be dead
 * already, so the next caller in this isolate uses these and stores them.
 */
const unsaved = new Map<string, TokenCredentials>();

/** Gives the lease back; a failure is logged, not thrown: the lease runs out by itself. */
async function releaseLease(env: AppEnv, connection: Connection, owner: string, refreshed: boolean): Promise<void> {
  try {
    await releaseRefreshLease(env.DB, connection.id, owner, refreshed);
  } catch (cause) {
    log.warn("refresh lease not released", {
      tenant: connection.workspaceId,
      provider: connection.provider,
      reason: describeError(cause),
    });
  }
}

/**
 * Stores refreshed tokens (one write of the sealed credentials: it applies
 * whole or not at all), retrying a failed write. False when every attempt
 * failed.
 */
async function store(
  env: AppEnv,
  connection: Connection,
  owner: string,
  credentials: TokenCredentials,
): Promise<boolean> {
  const { workspaceId, provider } = connection;
  for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
    try {
      await updateCredentials(env.DB, env, workspaceId, provider, credentials);
      return true;
    } catch (cause) {
      log.warn("refreshed tokens not stored", { tenant: workspaceId, provider, attempt, reason: describeError(cause) });
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      // Keep the others waiting while the write is retried (best effort).
      await renewRefreshLease(env.DB, connection.id, owner, Date.now(), Date.now() + LEASE_MS).catch(() => false);
    }
  }
  return false;
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
  timeoutMs: number,
): Promise<string> {
  const key = `${workspaceId}:${provider}`;
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  for (;;) {
    const connection = await getConnection(env.DB, env, workspaceId, provider);
    const kept = unsaved.get(key);
    if (kept && (await store(env, connection, "", kept))) unsaved.delete(key);
    // Tokens kept from an unstored refresh are newer than the row.
    const credentials = kept ?? connection.credentials;
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
    const owner = randomToken(16);
    const now = Date.now();
    if (!(await takeRefreshLease(env.DB, connection.id, owner, now, now + LEASE_MS))) {
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
      const next = await oauth.refresh(env, credentials.refreshToken, { signal: AbortSignal.timeout(timeoutMs) });
      if (!next.accessToken) {
        throw new IntegrationError({
          provider,
          httpStatus: 200,
          message: `${provider} refresh returned no token`,
          retryable: false,
        });
      }
      // Providers that rotate refresh tokens send a new one (Notion, HubSpot);
      // Google sends none and the old one stays valid.
      const tokens = { ...next, refreshToken: next.refreshToken ?? credentials.refreshToken };
      refreshed = await store(env, connection, owner, tokens);
      if (refreshed) unsaved.delete(key);
      else {
        unsaved.set(key, tokens);
        log.error("refreshed tokens kept in memory: storing them failed", { tenant: workspaceId, provider });
      }
      return next.accessToken;
    } catch (error) {
      if (error instanceof RevokedGrantError) {
        return await markNeedsReconnect(env, workspaceId, provider, "the grant was revoked or expired");
      }
      throw error;
    } finally {
      await releaseLease(env, connection, owner, refreshed);
    }
  }
}

/**
 * A valid access token for the workspace's connection: the stored one while
 * fresh, else a refreshed one. `stale` (a token the provider just rejected)
 * forces a refresh unless another caller already replaced it. Refreshes of
 * one connection are serialized: in this isolate by a shared promise, across
 * isolates by a lease row in D1. The token call times out well inside the
 * lease (`refreshTimeoutMs`, for tests); refreshed tokens that cannot be
 * stored are kept for the next caller in this isolate. `known`: the
 * connection's credentials as the caller read them moments ago (a connection
 * context, src/connections/action-context.ts); their token is used while it
 * is fresh, without reading the row again. A forced refresh always reads it.
 */
export async function accessToken(
  env: AppEnv,
  workspaceId: string,
  provider: Provider,
  options: { stale?: string; now?: number; refreshTimeoutMs?: number; known?: TokenCredentials } = {},
): Promise<string> {
  const key = `${workspaceId}:${provider}`;
  const credentials =
    options.known && options.stale === undefined
      ? options.known
      : (await getConnection(env.DB, env, workspaceId, provider)).credentials;
  const stored = credentials.accessToken;
  if (options.stale === undefined && !unsaved.has(key) && stored && fresh(credentials, options.now ?? Date.now())) {
    return stored;
  }
  let pending = inFlight.get(key);
  if (!pending) {
    const timeout = options.refreshTimeoutMs ?? REFRESH_TIMEOUT_MS;
    pending = refresh(env, workspaceId, provider, options.stale ?? credentials.accessToken, timeout).finally(() => {
      inFlight.delete(key);
    });
    inFlight.set(key, pending);
  }
  return pending;
}
