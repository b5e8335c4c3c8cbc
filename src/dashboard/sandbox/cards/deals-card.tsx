import { providerName } from "../../../../integrations/registry";
import { Badge } from "../../dashboard-layout";
import { DataTable } from "../../data-table";
import type { SandboxState } from "../control-client";
import { Csrf, money, NotSandboxed, SandboxCard } from "./parts";

type SandboxDeal = SandboxState["deals"][number];

/** A deal's journey in the Worker's D1, when the deal started one. */
export interface DealJourney {
  id: string;
  phase: string;
  status: string;
}

/** The deal's journey link, "journey starting…" between the win and the journey, or "Mark won". */
function DealAction(props: { deal: SandboxDeal; journey?: DealJourney; csrf: string }) {
  const { deal, journey } = props;
  if (journey) return <a href={`/journeys/${journey.id}`}>Journey ({journey.phase})</a>;
  if (deal.won) return <span class="muted small">journey starting…</span>;
  return (
    <form method="post" action={`/sandbox/hubspot/deals/${deal.id}/win`} class="inline">
      <Csrf csrf={props.csrf} />
      <button type="submit" class="btn btn-primary btn-small">
        Mark won
      </button>
    </form>
  );
}

/** "Add a deal": creates a deal (and its contact) in the sandbox HubSpot. */
function AddDealForm(props: { csrf: string }) {
  return (
    <form method="post" action="/sandbox/hubspot/deals" class="sandbox-add" aria-label="Add a deal">
      <Csrf csrf={props.csrf} />
      <label class="field">
        <span>Deal name</span>
        <input name="name" required maxlength={200} placeholder="Landing page" />
      </label>
      <label class="field">
        <span>Amount (USD)</span>
        <input name="amount" type="number" required min="1" step="1" placeholder="2400" />
      </label>
      <label class="field">
        <span>Client first name</span>
        <input name="firstName" required maxlength={100} />
      </label>
      <label class="field">
        <span>Client last name</span>
        <input name="lastName" maxlength={100} />
      </label>
      <label class="field">
        <span>Client email</span>
        <input name="email" type="email" required maxlength={254} placeholder="client@example.test" />
      </label>
      <div class="actions">
        <button type="submit" class="btn">
          Add deal
        </button>
      </div>
    </form>
  );
}

/** "HubSpot deals" on /sandbox: the deals, "Mark won" on each open one, and a form to add one. */
export function DealsCard(props: {
  csrf: string;
  sandboxed: boolean;
  deals: SandboxDeal[];
  journeys: Map<string, DealJourney>;
}) {
  return (
    <SandboxCard id="sb-deals" title="HubSpot deals">
      {!props.sandboxed ? (
        <NotSandboxed provider={providerName("hubspot")} />
      ) : (
        <>
          <DataTable columns={["Deal", "Amount", "Stage", "Action"]}>
            {props.deals.map((deal) => (
              <tr>
                <td>
                  {deal.name}
                  <div class="small muted">
                    {deal.contact ? `${deal.contact.firstName} ${deal.contact.lastName}`.trim() : "no contact"}
                  </div>
                </td>
                <td>{money(deal.amount)}</td>
                <td>
                  <Badge tone={deal.won ? "ok" : "muted"}>{deal.won ? "closed won" : deal.stage}</Badge>
                </td>
                <td>
                  <DealAction deal={deal} journey={props.journeys.get(deal.id)} csrf={props.csrf} />
                </td>
              </tr>
            ))}
          </DataTable>
          <AddDealForm csrf={props.csrf} />
        </>
      )}
    </SandboxCard>
  );
}
