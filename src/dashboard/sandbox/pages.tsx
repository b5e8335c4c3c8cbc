import { Style } from "../../ui/style-tag";
import { DashboardLayout, Notice, PageHeader, When } from "../dashboard-layout";
import { VISUALLY_HIDDEN_CSS } from "../data-table";
import { BoardCard } from "./cards/board-card";
import { type DealJourney, DealsCard } from "./cards/deals-card";
import { EmailsCard } from "./cards/emails-card";
import { InvoicesCard } from "./cards/invoices-card";
import type { SandboxEmail, SandboxState } from "./control-client";
import { FAULT_STYLES, FaultCard } from "./fault-card";

// The formatters and the CSRF field live with the cards; invoice-page.tsx and routes.tsx import them from here.
export type { DealJourney } from "./cards/deals-card";
export { Csrf, invoiceTone, money } from "./cards/parts";

/** Page-specific styles: the cards of the four emulators. */
export const SANDBOX_STYLES = `
.sandbox-label{display:inline-block;background:var(--warn-bg,#fef3c7);color:var(--warn,#92400e);border:1px solid #fcd34d;border-radius:999px;padding:.1rem .65rem;font-weight:700;letter-spacing:.06em;font-size:.8rem}
.sandbox-grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
.sandbox-grid .card{min-width:0;overflow-x:auto}.sandbox-grid .card h2{margin-top:0;font-size:1.1rem}
.sandbox-grid form.inline{display:inline-flex;gap:.35rem;align-items:center;margin:0}
.sandbox-add{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem;margin-top:1rem}
.sandbox-add .actions{grid-column:1/-1}
.email-frame{width:100%;min-height:28rem;border:1px solid #e2e8f0;border-radius:8px;background:#fff}
${VISUALLY_HIDDEN_CSS}
@media (max-width:900px){.sandbox-grid{grid-template-columns:1fr}}
`;

/** What a notice code in `?notice=` says after an action (codes only: the URL carries no free text). */
const NOTICES: Record<string, string> = {
  "deal-added": "Deal added in the sandbox HubSpot.",
  "deal-won": "Deal marked won: HubSpot's webhook was delivered and the journey starts.",
  "invoice-paid": "Invoice paid: Stripe's invoice.paid event was delivered.",
  "card-moved": "Card moved: Notion's webhook was delivered.",
  "fault-added": "Outage set: the next calls to that provider fail. Watch the journey's timeline.",
  "faults-cleared": "Outages ended: every call reaches the emulators again.",
};

export interface PageNotice {
  code: string;
  status?: string;
  error?: string;
}

/** The notice of `?notice=` after an action. */
export function NoticeFor(props: { notice?: PageNotice }) {
  const n = props.notice;
  if (!n?.code) return null;
  if (n.code === "error") return <Notice tone="error">{n.error ?? "The sandbox refused this action."}</Notice>;
  const text = NOTICES[n.code];
  if (!text) return null;
  const failed = n.status !== undefined && !/^2\d\d$/.test(n.status);
  return failed ? (
    <Notice tone="error">
      {text.split(":")[0]}, but the Worker answered the webhook with status {n.status}. See the terminal of npm start.
    </Notice>
  ) : (
    <Notice tone="info">
      {text}
      {n.status ? ` (the Worker answered ${n.status})` : ""}
    </Notice>
  );
}

/** `/sandbox`: the four emulators' state, with the actions a person would take in each provider. */
export function SandboxPage(props: {
  csrf: string;
  state: SandboxState | null;
  journeys: Map<string, DealJourney>;
  notice?: PageNotice;
  unavailable?: string;
}) {
  const { state, csrf } = props;
  const on = (p: string) => state?.providers.includes(p) ?? false;
  return (
    <DashboardLayout title="Sandbox" section="sandbox" csrf={csrf} sandbox>
      <Style css={SANDBOX_STYLES + FAULT_STYLES} />
      <PageHeader
        title="Sandbox"
        subtitle="Local emulators of the providers that are not connected. Act as your client or your team would, and watch the journey advance."
      >
        <span class="sandbox-label">SANDBOX</span>
      </PageHeader>
      <div aria-live="polite">
        <NoticeFor notice={props.notice} />
        {props.unavailable && <Notice tone="error">{props.unavailable}</Notice>}
      </div>
      {state && (
        <div class="sandbox-grid">
          <DealsCard csrf={csrf} sandboxed={on("hubspot")} deals={state.deals} journeys={props.journeys} />
          <InvoicesCard csrf={csrf} sandboxed={on("stripe")} invoices={state.invoices} />
          <BoardCard csrf={csrf} sandboxed={on("notion")} cards={state.cards} statuses={state.statuses} />
          <EmailsCard sandboxed={on("google")} emails={state.emails} />
        </div>
      )}
      {state && <FaultCard csrf={csrf} providers={state.providers} faults={state.faults} />}
    </DashboardLayout>
  );
}

/** `/sandbox/emails/:id`: one sent email. The HTML body renders in a sandboxed iframe (no scripts, no same origin). */
export function SandboxEmailPage(props: { csrf: string; mail: SandboxEmail }) {
  const { mail } = props;
  return (
    <DashboardLayout title={`Email: ${mail.subject}`} section="sandbox" csrf={props.csrf} sandbox>
      <Style css={SANDBOX_STYLES} />
      <p>
        <a href="/sandbox">← Back to the sandbox</a>
      </p>
      <PageHeader title={mail.subject || "(no subject)"}>
        <span class="sandbox-label">SANDBOX</span>
      </PageHeader>
      <dl class="card">
        <dt>From</dt>
        <dd>{mail.from}</dd>
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Sent</dt>
        <dd>
          <When at={mail.sentAt} />
        </dd>
      </dl>
      {mail.html ? (
        <iframe title="Email body" class="email-frame" sandbox="" srcdoc={mail.html} />
      ) : (
        <pre class="card preview">{mail.text}</pre>
      )}
      {mail.html && mail.text && (
        <details class="card">
          <summary>Plain-text part</summary>
          <pre class="preview">{mail.text}</pre>
        </details>
      )}
    </DashboardLayout>
  );
}
