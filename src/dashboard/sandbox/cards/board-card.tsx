import { providerName } from "../../../../integrations/registry";
import { Badge } from "../../dashboard-layout";
import { DataTable } from "../../data-table";
import type { SandboxState } from "../control-client";
import { Csrf, NotSandboxed, SandboxCard } from "./parts";

type NotionCard = SandboxState["cards"][number];

/** "Move": sets a card's status as the team would in Notion, which delivers Notion's webhook. */
function MoveForm(props: { card: NotionCard; statuses: SandboxState["statuses"]; csrf: string }) {
  const { card } = props;
  return (
    <form method="post" action={`/sandbox/notion/pages/${card.id}/status`} class="inline">
      <Csrf csrf={props.csrf} />
      <label>
        <span class="visually-hidden">New status of {card.title}</span>
        <select name="status">
          {props.statuses.map((s) => (
            <option value={s} selected={s === card.status}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="btn btn-small">
        Move
      </button>
    </form>
  );
}

/** "Notion board" on /sandbox: the project cards, each with a form to move it to another status. */
export function BoardCard(props: {
  csrf: string;
  sandboxed: boolean;
  cards: SandboxState["cards"];
  statuses: SandboxState["statuses"];
}) {
  return (
    <SandboxCard id="sb-cards" title="Notion board">
      {!props.sandboxed ? (
        <NotSandboxed provider={providerName("notion")} />
      ) : (
        <DataTable columns={["Card", "Status", "Move to"]}>
          {props.cards.map((card) => (
            <tr>
              <td>
                {card.title}
                <div class="small muted">{card.client}</div>
              </td>
              <td>
                <Badge tone="info">{card.status ?? "—"}</Badge>
              </td>
              <td>
                <MoveForm card={card} statuses={props.statuses} csrf={props.csrf} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </SandboxCard>
  );
}
