import { providerName } from "../../../../integrations/registry";
import { Badge } from "../../dashboard-layout";
import { DataTable } from "../../data-table";
import type { SandboxState } from "../control-client";
import { Csrf, invoiceTone, money, NotSandboxed, SandboxCard } from "./parts";

/** "Pay": pays an open invoice as the client would, which delivers Stripe's invoice.paid event. */
function PayForm(props: { invoiceId: string; csrf: string }) {
  return (
    <form method="post" action={`/sandbox/stripe/invoices/${props.invoiceId}/pay`} class="inline">
      <Csrf csrf={props.csrf} />
      <button type="submit" class="btn btn-primary btn-small">
        Pay
      </button>
    </form>
  );
}

/** "Stripe invoices" on /sandbox: the invoices the journeys sent, with "Pay" on each open one. */
export function InvoicesCard(props: { csrf: string; sandboxed: boolean; invoices: SandboxState["invoices"] }) {
  return (
    <SandboxCard id="sb-invoices" title="Stripe invoices">
      {!props.sandboxed ? (
        <NotSandboxed provider={providerName("stripe")} />
      ) : props.invoices.length === 0 ? (
        <p class="muted">No invoices yet. Mark a deal won: the journey sends the deposit invoice.</p>
      ) : (
        <DataTable columns={["Invoice", "Amount", "Status", "Action"]}>
          {props.invoices.map((invoice) => (
            <tr>
              <td>
                <a class="mono" href={`/sandbox/invoices/${invoice.id}`}>
                  {invoice.number ?? invoice.id}
                </a>
                <div class="small muted">{invoice.customerEmail}</div>
                {invoice.journeyId && (
                  <a class="small" href={`/journeys/${invoice.journeyId}`}>
                    Journey
                  </a>
                )}
              </td>
              <td>{money(invoice.amountDue / 100, invoice.currency)}</td>
              <td>
                <Badge tone={invoiceTone(invoice.status)}>{invoice.status}</Badge>
              </td>
              <td>{invoice.status === "open" && <PayForm invoiceId={invoice.id} csrf={props.csrf} />}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </SandboxCard>
  );
}
