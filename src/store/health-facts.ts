/**
 * The stored facts the connection warnings (src/maintenance/health-warnings.ts)
 * are judged from: read-only queries over connections, webhook_events,
 * journey_steps and the Notion subscriptions. No provider is called here.
 */

/** A connection's refresh history, for the refresh and Google testing-mode warnings. */
export interface RefreshFacts {
  workspaceId: string;
  provider: string;
  status: "active" | "needs_reconnect";
  source: string;
  /** The last grant (connect or reconnect). */
  consentedAt: string;
  lastRefreshedAt: string | null;
  /** When the last grant's refresh token ends, as the provider said at grant time (Google in testing), or null. */
  refreshExpiresAt: string | null;
}

/** Every connection not disconnected, with when it was last granted and last refreshed. */
export async function refreshFacts(db: D1Database): Promise<RefreshFacts[]> {
  const { results } = await db
    .prepare(
      `SELECT workspace_id, provider, status, source, COALESCE(consented_at, created_at) AS consented_at,
         last_refreshed_at, refresh_expires_at FROM connections
       WHERE status != 'disconnected' ORDER BY workspace_id, provider`,
    )
    .all<{
      workspace_id: string;
      provider: string;
      status: "active" | "needs_reconnect";
      source: string;
      consented_at: string;
      last_refreshed_at: string | null;
      refresh_expires_at: string | null;
    }>();
  return results.map((r) => ({
    workspaceId: r.workspace_id,
    provider: r.provider,
    status: r.status,
    source: r.source,
    consentedAt: r.consented_at,
    lastRefreshedAt: r.last_refreshed_at,
    refreshExpiresAt: r.refresh_expires_at,
  }));
}

/** Journeys waiting on a provider's signal, and when that provider last sent the workspace a webhook. */
export interface WaitingFacts {
  workspaceId: string;
  provider: string;
  waitingJourneys: number;
  waitingSince: string;
  lastWebhookAt: string | null;
}

/**
 * Per workspace and provider: the journeys whose waiting step waits for an
 * event of that provider (`waiting_for` is `<provider>.<object>.<verb>`),
 * since when the oldest waits, and the last webhook received from it.
 */
export async function waitingFacts(db: D1Database): Promise<WaitingFacts[]> {
  const { results } = await db
    .prepare(
      `SELECT w.workspace_id, w.provider, w.waiting, w.since,
         (SELECT MAX(e.received_at) FROM webhook_events e
           WHERE e.workspace_id = w.workspace_id AND e.provider = w.provider) AS last_webhook
       FROM (
         SELECT j.workspace_id, substr(s.waiting_for, 1, instr(s.waiting_for, '.') - 1) AS provider,
           COUNT(DISTINCT j.id) AS waiting, MIN(s.updated_at) AS since
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
         WHERE s.status = 'waiting' AND instr(s.waiting_for, '.') > 0
           AND j.status IN ('running', 'waiting')
         GROUP BY j.workspace_id, provider
       ) w
       WHERE w.provider IN ('hubspot', 'stripe', 'notion')
       ORDER BY w.workspace_id, w.provider`,
    )
    .all<{ workspace_id: string; provider: string; waiting: number; since: string; last_webhook: string | null }>();
  return results.map((r) => ({
    workspaceId: r.workspace_id,
    provider: r.provider,
    waitingJourneys: r.waiting,
    waitingSince: r.since,
    lastWebhookAt: r.last_webhook,
  }));
}

/** A workspace's own Notion subscription: made, handshake received, and any event since. */
export interface NotionSubscriptionFacts {
  workspaceId: string;
  createdAt: string;
  tokenReceivedAt: string | null;
  lastEventAt: string | null;
}

/** Every workspace's own Notion subscription (internal integrations), with its last Notion event. */
export async function notionSubscriptionFacts(db: D1Database): Promise<NotionSubscriptionFacts[]> {
  const { results } = await db
    .prepare(
      `SELECT s.workspace_id, s.created_at, s.token_received_at,
         (SELECT MAX(e.received_at) FROM webhook_events e
           WHERE e.workspace_id = s.workspace_id AND e.provider = 'notion') AS last_event
       FROM notion_workspace_subscriptions s ORDER BY s.workspace_id`,
    )
    .all<{ workspace_id: string; created_at: string; token_received_at: string | null; last_event: string | null }>();
  return results.map((r) => ({
    workspaceId: r.workspace_id,
    createdAt: r.created_at,
    tokenReceivedAt: r.token_received_at,
    lastEventAt: r.last_event,
  }));
}

/** Workspaces whose active key connection to Stripe has Clientflow's own webhook endpoint. */
export async function stripeEndpointsToCheck(
  db: D1Database,
): Promise<{ workspaceId: string; stripeEndpointId: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT e.workspace_id, e.stripe_endpoint_id FROM stripe_webhook_endpoints e
       JOIN connections c ON c.workspace_id = e.workspace_id AND c.provider = 'stripe'
       WHERE c.status = 'active' AND c.source = 'key' ORDER BY e.workspace_id`,
    )
    .all<{ workspace_id: string; stripe_endpoint_id: string }>();
  return results.map((r) => ({ workspaceId: r.workspace_id, stripeEndpointId: r.stripe_endpoint_id }));
}

/**
 * Clears (to ok) the warnings of `kinds` that the run at `checkedAt` did not
 * judge: their facts are gone (no journey waits, the connection or the
 * subscription was removed), so nothing is left to warn of.
 */
export async function clearUnjudgedWarnings(
  db: D1Database,
  kinds: readonly string[],
  checkedAt: string,
): Promise<void> {
  await db
    .prepare(
      `UPDATE connection_checks SET status = 'ok', error_class = NULL, hint = NULL, failing_since = NULL,
         checked_at = ?1
       WHERE checked_at < ?1 AND status != 'ok' AND kind IN (SELECT value FROM json_each(?2))`,
    )
    .bind(checkedAt, JSON.stringify(kinds))
    .run();
}
