import { integrationFor, providerName } from "../../integrations/registry";
import type { WebhookStatus } from "../intake/webhook-status";
import type { ConnectionSummary } from "../store/connection-admin";
import type { ConnectionCheck } from "../store/connection-checks";
import type { Provider } from "../store/connections";
import { ConnectionChecks } from "./connection-checks";
import { Badge, type Tone, When } from "./dashboard-layout";
import { NotionSubscription, type NotionSubscriptionView } from "./notion-subscription";

type Status = { label: string; tone: Tone };

/** connected / needs reconnect / not connected: the text carries the meaning. */
export function connectionStatus(c: ConnectionSummary | undefined): Status {
  if (c?.status === "active") return { label: "connected", tone: "ok" };
  if (c?.status === "needs_reconnect") return { label: "needs reconnect", tone: "warn" };
  return { label: "not connected", tone: "muted" };
}

function accountText(c: ConnectionSummary): string {
  const config = c.config as { email?: string; workspaceName?: string };
  const parts = [c.externalAccountId, config.workspaceName].filter(Boolean);
  const sources: Record<ConnectionSummary["source"], string> = {
    oauth: "",
    key: " (restricted key)",
    env: " (seeded from .dev.vars)",
    sandbox: " (sandbox emulator)",
  };
  const source = sources[c.source];
  return `${parts.join(" · ") || "—"}${source}`;
}

function Scopes(props: { provider: Provider; connection: ConnectionSummary }) {
  const scopes = (props.connection.config as { scopes?: unknown }).scopes;
  if (Array.isArray(scopes) && scopes.length > 0)
    return (
      <ul class="scopes mono">
        {scopes.map((s) => (
          <li>{String(s)}</li>
        ))}
      </ul>
    );
  if (props.provider === "notion") return <span>The pages and databases you share with Clientflow in Notion</span>;
  return <span class="muted">Not reported by {providerName(props.provider)}</span>;
}

function Actions(props: {
  provider: Provider;
  connection?: ConnectionSummary;
  csrf: string;
  /** Why this provider can't be connected yet (its OAuth app is not configured), or null. */
  missing: string | null;
}) {
  const { provider, connection, missing } = props;
  const name = providerName(provider);
  const connectable = missing === null;
  const setupHint = missing && (
    <p class="small muted">
      To connect a real {name} account, register Clientflow's app with {name} and set its client in .dev.vars ({missing}
      ), then restart.
    </p>
  );
  // A sandbox connection or none: the hint, and Connect where the provider's app is configured.
  const connectOnly = (label: string) => (
    <div>
      {setupHint}
      {connectable && (
        <div class="actions">
          <a class="btn btn-primary" href={`/connect/${provider}`}>
            {label}
          </a>
        </div>
      )}
    </div>
  );
  if (connection?.source === "sandbox") return connectOnly(`Connect a real ${name} account`);
  if (!connection || connection.status === "disconnected") return connectOnly(`Connect ${name}`);
  return (
    <div class="actions">
      {connectable && (
        <a class={connection.status === "needs_reconnect" ? "btn btn-primary" : "btn"} href={`/connect/${provider}`}>
          Reconnect {name}
        </a>
      )}
      <form method="post" action={`/connections/${provider}/disconnect`} class="inline">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="btn btn-danger">
          Disconnect {name}
        </button>
      </form>
      {setupHint}
    </div>
  );
}

function Webhook(props: { provider: Provider; status?: WebhookStatus }) {
  const name = providerName(props.provider);
  if (!props.status?.url)
    return <p class="muted small">{name} sends Clientflow no webhooks: there is nothing to configure.</p>;
  const last = props.status.lastEvent;
  return (
    <dl class="facts">
      <dt>URL to configure at {name}</dt>
      <dd>
        <code class="mono">{props.status.url}</code>
      </dd>
      <dt>Last event received</dt>
      <dd>
        {last ? (
          <>
            <span class="mono">{last.type}</span>, <When at={last.receivedAt} /> ·{" "}
            <a href={`/events?provider=${props.provider}`}>all {name} events</a>
          </>
        ) : (
          <span class="muted">No events yet</span>
        )}
      </dd>
    </dl>
  );
}

/** One provider on the Connections page: status, account, scopes, webhook setup and its actions. */
export function ProviderCard(props: {
  provider: Provider;
  connection?: ConnectionSummary;
  webhook?: WebhookStatus;
  sandbox: boolean;
  csrf: string;
  missing: string | null;
  /** Notion only: the owner's internal-integration subscription (null: none yet). */
  notionSubscription?: NotionSubscriptionView | null;
  /** The scheduled checks' last results for this provider (src/maintenance/connection-health.ts). */
  checks?: ConnectionCheck[];
}) {
  const { provider, connection: c } = props;
  const status = connectionStatus(c);
  const connected = c && c.status !== "disconnected";
  const board = c?.config as { boardId?: string; boardName?: string } | undefined;
  const headingId = `provider-${provider}`;
  return (
    <section class="card provider-card" aria-labelledby={headingId} data-provider={provider}>
      <div class="provider-head">
        <h2 id={headingId}>{providerName(provider)}</h2>
        <Badge tone={status.tone}>{status.label}</Badge>
        {props.sandbox && <Badge tone="info">Sandbox</Badge>}
      </div>
      <p class="muted small">{integrationFor(provider).role}</p>
      {props.sandbox && (
        <p class="small">
          {providerName(provider)} runs against the local emulator until a real account is connected: nothing reaches a
          real {providerName(provider)} account.
        </p>
      )}
      {c?.status === "needs_reconnect" && (
        <p class="small">
          {providerName(provider)} refused the stored grant. Journeys that need it are paused and resume when you
          reconnect.
        </p>
      )}
      {connected && c && (
        <dl class="facts">
          <dt>Connected account</dt>
          <dd>{accountText(c)}</dd>
          <dt>Scopes granted</dt>
          <dd>
            <Scopes provider={provider} connection={c} />
          </dd>
          <dt>Last token refresh</dt>
          <dd>{c.lastRefreshedAt ? <When at={c.lastRefreshedAt} /> : <span class="muted">Not refreshed yet</span>}</dd>
          <dt>Connected since</dt>
          <dd>
            <When at={c.createdAt} />
          </dd>
          <ConnectionChecks checks={props.checks ?? []} />
          {provider === "notion" && (
            <>
              <dt>Project board</dt>
              <dd>
                {board?.boardName ?? board?.boardId ?? <span class="muted">No board chosen</span>}{" "}
                <a href="/connections/notion/board">Choose board</a>
              </dd>
            </>
          )}
        </dl>
      )}
      <h3>Webhooks</h3>
      <Webhook provider={provider} status={props.webhook} />
      {provider === "notion" && connected && (
        <NotionSubscription subscription={props.notionSubscription ?? null} csrf={props.csrf} />
      )}
      <Actions provider={provider} connection={c} csrf={props.csrf} missing={props.missing} />
    </section>
  );
}
