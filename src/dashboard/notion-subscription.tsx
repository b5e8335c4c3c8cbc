import { When } from "./dashboard-layout";

/** What the Notion card shows of the owner's internal-integration subscription (null: none created). */
export interface NotionSubscriptionView {
  url: string;
  token: string | null;
  tokenReceivedAt: string | null;
}

/**
 * The internal-integration mode on the Notion card: create a subscription URL
 * of this workspace's own, see the token Notion sent to it (to paste into
 * Notion's Verify form), and Reset (a new URL, the token forgotten).
 */
export function NotionSubscription(props: { subscription: NotionSubscriptionView | null; csrf: string }) {
  const s = props.subscription;
  return (
    <div class="notion-internal">
      <h3>Internal Notion integration</h3>
      <p class="small muted">
        Using your own internal integration instead of Clientflow's? Give its webhook subscription a URL of this
        workspace's own; Notion's verification token shows here for you to paste back into Notion.
      </p>
      {s ? (
        <>
          <dl class="facts">
            <dt>Subscription URL</dt>
            <dd>
              <code class="mono">{s.url}</code>
            </dd>
            <dt>Verification token</dt>
            <dd>
              {s.token ? (
                <>
                  <code class="mono">{s.token}</code> (received <When at={s.tokenReceivedAt ?? ""} />)
                </>
              ) : (
                <span class="muted">Waiting for Notion's verification request</span>
              )}
            </dd>
          </dl>
          <form method="post" action="/connections/notion/subscription/reset" class="inline">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <button type="submit" class="btn">
              Reset subscription URL
            </button>
          </form>
        </>
      ) : (
        <form method="post" action="/connections/notion/subscription" class="inline">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button type="submit" class="btn">
            Create a subscription URL
          </button>
        </form>
      )}
    </div>
  );
}
