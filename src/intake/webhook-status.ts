import { integrationFor } from "../../integrations/registry";
import type { Provider } from "../store/connections";
import { lastEventPerProvider } from "../store/webhook-events";

/**
 * The URL to configure at the provider for its webhooks (the integration's
 * webhook path); null for a provider without webhooks (Google). For Notion
 * this is the public integration's one subscription, the same for every
 * workspace; an internal integration's own URL is on the Notion card.
 */
export function webhookUrl(origin: string, provider: Provider): string | null {
  const path = integrationFor(provider).webhook?.path;
  return path ? `${origin}${path}` : null;
}

export interface WebhookStatus {
  provider: Provider;
  url: string | null;
  lastEvent: { type: string; receivedAt: string; outcome: string | null } | null;
}

/** Per provider: where its webhooks go, and the last one this workspace received (one query). */
export async function webhookStatuses(
  db: D1Database,
  origin: string,
  workspaceId: string,
  providers: readonly Provider[],
): Promise<WebhookStatus[]> {
  const last = await lastEventPerProvider(db, workspaceId);
  return providers.map((provider) => {
    const row = last.get(provider);
    return {
      provider,
      url: webhookUrl(origin, provider),
      lastEvent: row ? { type: row.event_type, receivedAt: row.received_at, outcome: row.outcome } : null,
    };
  });
}
