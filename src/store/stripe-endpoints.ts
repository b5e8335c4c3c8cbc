import { open, type SecretKeys, seal } from "../crypto/secret-box";

/**
 * The webhook endpoint Clientflow created in a key-connected Stripe account:
 * its opaque id (the last segment of its URL), Stripe's `we_…` id and the
 * signing secret, sealed and bound to its workspace and id.
 */
export interface StripeEndpoint {
  id: string;
  workspaceId: string;
  stripeEndpointId: string;
}

const associatedData = (workspaceId: string, id: string) => `stripe-endpoint:${workspaceId}:${id}`;

/** Saves the workspace's endpoint, replacing the row of an earlier one (the caller deletes that at Stripe). */
export async function saveStripeEndpoint(
  db: D1Database,
  keys: SecretKeys,
  endpoint: StripeEndpoint & { secret: string },
): Promise<void> {
  const sealed = await seal(keys, endpoint.secret, associatedData(endpoint.workspaceId, endpoint.id));
  await db
    .prepare(
      `INSERT INTO stripe_webhook_endpoints (id, workspace_id, stripe_endpoint_id, signing_secret)
       VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT(workspace_id) DO UPDATE SET id = ?1, stripe_endpoint_id = ?3, signing_secret = ?4,
         created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(endpoint.id, endpoint.workspaceId, endpoint.stripeEndpointId, sealed)
    .run();
}

/** The workspace's endpoint (without its secret), if it has one. */
export async function workspaceStripeEndpoint(db: D1Database, workspaceId: string): Promise<StripeEndpoint | null> {
  const row = await db
    .prepare("SELECT id, stripe_endpoint_id FROM stripe_webhook_endpoints WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ id: string; stripe_endpoint_id: string }>();
  return row ? { id: row.id, workspaceId, stripeEndpointId: row.stripe_endpoint_id } : null;
}

/** An endpoint by its opaque id, with its opened signing secret. Never log the secret. */
export async function stripeEndpointById(
  db: D1Database,
  keys: SecretKeys,
  id: string,
): Promise<(StripeEndpoint & { secret: string }) | null> {
  const row = await db
    .prepare("SELECT workspace_id, stripe_endpoint_id, signing_secret FROM stripe_webhook_endpoints WHERE id = ?")
    .bind(id)
    .first<{ workspace_id: string; stripe_endpoint_id: string; signing_secret: string }>();
  if (!row) return null;
  const secret = await open(keys, row.signing_secret, associatedData(row.workspace_id, id));
  return { id, workspaceId: row.workspace_id, stripeEndpointId: row.stripe_endpoint_id, secret };
}

/** Forgets the workspace's endpoint (after it was deleted at Stripe, or could not be). */
export async function deleteStripeEndpoint(db: D1Database, workspaceId: string): Promise<void> {
  await db.prepare("DELETE FROM stripe_webhook_endpoints WHERE workspace_id = ?").bind(workspaceId).run();
}

/**
 * The workspace an App-mode (Connect) event's `account` belongs to: only a
 * Stripe connection that is not a pasted key (those have their own endpoint)
 * and is not disconnected. OAuth connections carry the account id Stripe
 * returned (`stripe_user_id`); env/sandbox ones the operator configured.
 */
export async function workspaceOfStripeAccount(db: D1Database, account: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT workspace_id FROM connections WHERE provider = 'stripe' AND external_account_id = ?
         AND status != 'disconnected' AND source != 'key'`,
    )
    .bind(account)
    .first<{ workspace_id: string }>();
  return row?.workspace_id ?? null;
}

/** The account id of the workspace's Stripe connection (null for a pasted key, which cannot learn it). */
export async function stripeConnectionAccount(db: D1Database, workspaceId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT external_account_id FROM connections WHERE provider = 'stripe' AND workspace_id = ?")
    .bind(workspaceId)
    .first<{ external_account_id: string | null }>();
  return row?.external_account_id ?? null;
}
