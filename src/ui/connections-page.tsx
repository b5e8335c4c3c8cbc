import type { ConnectionSummary } from "../store/connection-admin";
import type { Provider } from "../store/connections";
import { Layout } from "./layout";

const LABELS: Record<Provider, string> = {
  hubspot: "HubSpot (deals)",
  stripe: "Stripe (invoices)",
  notion: "Notion (project board)",
  google: "Google (Gmail, Calendar)",
};

function account(c: ConnectionSummary): string {
  const config = c.config as { email?: string; workspaceName?: string; boardName?: string };
  return [c.externalAccountId, config.workspaceName, config.boardName && `board: ${config.boardName}`]
    .filter(Boolean)
    .join(" · ");
}

/** Connections: each provider's status with Connect / Reconnect / Disconnect. */
export function ConnectionsPage(props: {
  providers: Provider[];
  connections: ConnectionSummary[];
  csrf: string;
  notice?: string;
  error?: string;
}) {
  const byProvider = new Map(props.connections.map((c) => [c.provider, c]));
  return (
    <Layout title="Connections">
      <h1>Connections</h1>
      {props.notice && <p class="note">{props.notice}</p>}
      {props.error && <p class="note error">{props.error}</p>}
      <table>
        <thead>
          <tr>
            <th>Provider</th>
            <th>Status</th>
            <th>Account</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.providers.map((provider) => {
            const c = byProvider.get(provider);
            return (
              <tr>
                <td>{LABELS[provider]}</td>
                <td class={`status-${c?.status ?? "none"}`}>{c ? c.status.replace("_", " ") : "not connected"}</td>
                <td>{c ? account(c) : ""}</td>
                <td>
                  <a class="button" href={`/connect/${provider}`}>
                    {c ? "Reconnect" : "Connect"}
                  </a>{" "}
                  {c && (
                    <form method="post" action={`/connections/${provider}/disconnect`} style="display:inline">
                      <input type="hidden" name="_csrf" value={props.csrf} />
                      <button type="submit">Disconnect</button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Stripe without OAuth</h2>
      <form method="post" action="/connections/stripe/key">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label>
          Restricted key <input name="key" autocomplete="off" placeholder="rk_live_…" />
        </label>{" "}
        <button type="submit">Save key</button>
      </form>
      <form method="post" action="/auth/logout">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p>
          <button type="submit">Sign out</button>
        </p>
      </form>
    </Layout>
  );
}

/** The Notion board picker shown after connecting Notion. */
export function NotionBoardPage(props: { boards: { id: string; name: string }[]; current?: string; csrf: string }) {
  return (
    <Layout title="Pick the project board">
      <h1>Pick the Notion project board</h1>
      {props.boards.length === 0 ? (
        <p class="note">
          No databases are shared with Clientflow yet. In Notion, share your project board with the integration, then
          reload.
        </p>
      ) : (
        <form method="post" action="/connections/notion/board">
          <input type="hidden" name="_csrf" value={props.csrf} />
          {props.boards.map((board) => (
            <p>
              <label>
                <input type="radio" name="boardId" value={board.id} checked={board.id === props.current} required />{" "}
                {board.name}
              </label>
            </p>
          ))}
          <button type="submit">Use this board</button>
        </form>
      )}
    </Layout>
  );
}
