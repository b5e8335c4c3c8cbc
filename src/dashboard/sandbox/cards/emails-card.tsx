import { When } from "../../dashboard-layout";
import { DataTable } from "../../data-table";
import type { SandboxState } from "../control-client";
import { NotSandboxed, SandboxCard } from "./parts";

/** "Sent emails" on /sandbox: what the journeys sent through the sandbox Gmail, each linked to its page. */
export function EmailsCard(props: { sandboxed: boolean; emails: SandboxState["emails"] }) {
  return (
    <SandboxCard id="sb-emails" title="Sent emails">
      {!props.sandboxed ? (
        <NotSandboxed provider="Gmail" />
      ) : props.emails.length === 0 ? (
        <p class="muted">Nothing sent yet. The welcome email goes out when a deal is won.</p>
      ) : (
        <DataTable columns={["To", "Subject", "Sent"]}>
          {props.emails.map((mail) => (
            <tr>
              <td>{mail.to}</td>
              <td>
                <a href={`/sandbox/emails/${mail.id}`}>{mail.subject || "(no subject)"}</a>
              </td>
              <td>
                <When at={mail.sentAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </SandboxCard>
  );
}
