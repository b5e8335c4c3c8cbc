import { RESTRICTED_KEY_PERMISSION_LIST } from "../../integrations/stripe/restricted-key";
import type { WebhookStatus } from "../intake/webhook-status";
import type { ClientLink } from "../settings/client-links";
import type { ConnectionSummary } from "../store/connection-admin";
import type { ConnectionCheck } from "../store/connection-checks";
import type { Provider } from "../store/connections";
import { Style } from "../ui/style-tag";
import { BrandingCard } from "./branding-card";
import { ClientLinksCard, type NeededLink } from "./client-links-card";
import { ProviderCard } from "./connection-card";
import { DashboardLayout, Notice, PageHeader } from "./dashboard-layout";
import { DigestSettingsCard } from "./digest-settings-card";
import { HubspotSettingsCard } from "./hubspot-settings-card";
import type { NotionSubscriptionView } from "./notion-subscription";

export { connectionStatus } from "./connection-card";

const CONNECTIONS_STYLES = `.providers{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
.provider-head{display:flex;align-items:center;gap:.5rem;flex-wrap:wrap}.provider-head h2{margin:0 .25rem 0 0}
.facts{display:grid;grid-template-columns:11rem 1fr;gap:.35rem .75rem;margin:.75rem 0}.facts dt{color:var(--muted);font-size:.9rem}.facts dd{margin:0;overflow-wrap:anywhere}
.scopes{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}.scopes li{background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:0 .35rem}
.provider-card h3{font-size:.95rem;margin:1rem 0 0}.inline{display:inline}`;

/** Connections: per provider its status, account, scopes, webhook setup and Connect / Reconnect / Disconnect. */
export function ConnectionsPage(props: {
  providers: readonly Provider[];
  connections: ConnectionSummary[];
  webhooks: WebhookStatus[];
  /** The scheduled connection checks' last results (every provider and kind). */
  checks?: ConnectionCheck[];
  sandboxProviders: ReadonlySet<Provider>;
  /** Per provider, why it can't be connected yet (OAuth app not configured), or null. */
  missing: Record<Provider, string | null>;
  /** The workspace's `hubspotImportsStartLeads` setting. */
  hubspotImportsStartLeads: boolean;
  /** The workspace's `weeklyDigest` setting. */
  weeklyDigest: boolean;
  /** The workspace's name and email colours (`brandColor`, `accentColor`). */
  branding: { businessName: string; brandColor: string; accentColor: string };
  /** The client links as set (null: unset) and those the templates send while unset. */
  clientLinks: { values: Record<ClientLink, string | null>; needed: NeededLink[] };
  csrf: string;
  sandbox: boolean;
  /** The owner's internal-integration Notion subscription, or null. */
  notionSubscription?: NotionSubscriptionView | null;
  notice?: string;
  error?: string;
}) {
  const byProvider = new Map(props.connections.map((c) => [c.provider, c]));
  const webhooks = new Map(props.webhooks.map((w) => [w.provider, w]));
  return (
    <DashboardLayout title="Connections" section="connections" csrf={props.csrf} sandbox={props.sandbox}>
      <Style css={CONNECTIONS_STYLES} />
      <PageHeader
        title="Connections"
        subtitle="The accounts Clientflow works in, and where each provider sends its webhooks."
      />
      <div aria-live="polite">
        {props.notice && <Notice tone="info">{props.notice}</Notice>}
        {props.error && <Notice tone="error">{props.error}</Notice>}
      </div>
      <div class="providers">
        {props.providers.map((provider) => (
          <ProviderCard
            provider={provider}
            connection={byProvider.get(provider)}
            webhook={webhooks.get(provider)}
            sandbox={props.sandboxProviders.has(provider)}
            missing={props.missing[provider]}
            csrf={props.csrf}
            notionSubscription={provider === "notion" ? props.notionSubscription : undefined}
            checks={props.checks?.filter((check) => check.provider === provider)}
          />
        ))}
      </div>
      <ClientLinksCard values={props.clientLinks.values} needed={props.clientLinks.needed} csrf={props.csrf} />
      <HubspotSettingsCard importsStartLeads={props.hubspotImportsStartLeads} csrf={props.csrf} />
      <DigestSettingsCard weeklyDigest={props.weeklyDigest} csrf={props.csrf} />
      <BrandingCard {...props.branding} csrf={props.csrf} />
      <section class="card" aria-labelledby="stripe-key">
        <h2 id="stripe-key">Stripe without OAuth</h2>
        <p class="muted small">
          Paste a restricted key (rk_…) with {RESTRICTED_KEY_PERMISSION_LIST}. Clientflow checks it at Stripe before
          saving it, and refuses full secret keys (sk_…).
        </p>
        <form method="post" action="/connections/stripe/key">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label class="field">
            <span>Restricted key</span>
            <input name="key" autocomplete="off" placeholder="rk_live_…" required />
          </label>
          <button type="submit" class="btn">
            Save key
          </button>
        </form>
      </section>
    </DashboardLayout>
  );
}

/** The Notion board picker shown after connecting Notion. */
export function NotionBoardPage(props: {
  boards: { id: string; name: string }[];
  current?: string;
  csrf: string;
  sandbox: boolean;
}) {
  return (
    <DashboardLayout title="Pick the project board" section="connections" csrf={props.csrf} sandbox={props.sandbox}>
      <PageHeader
        title="Pick the Notion project board"
        subtitle="Clientflow creates one card per client on this board and follows its Status."
      >
        <a class="btn" href="/connections">
          Back to connections
        </a>
      </PageHeader>
      {props.boards.length === 0 ? (
        <Notice tone="info">
          No databases are shared with Clientflow yet. In Notion, share your project board with the integration, then
          reload.
        </Notice>
      ) : (
        <form method="post" action="/connections/notion/board" class="card">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <fieldset>
            <legend>Project board</legend>
            {props.boards.map((board) => (
              <p>
                <label>
                  <input type="radio" name="boardId" value={board.id} checked={board.id === props.current} required />{" "}
                  {board.name}
                </label>
              </p>
            ))}
          </fieldset>
          <button type="submit" class="btn btn-primary">
            Use this board
          </button>
        </form>
      )}
    </DashboardLayout>
  );
}
