import { Badge, DashboardLayout, Notice, PageHeader, type Tone, When } from "../ui/dashboard-layout";
import { Style } from "../ui/style-tag";
import type { SandboxEmail, SandboxState } from "./control-client";
import { FAULT_STYLES, FaultCard } from "./fault-card";

/** Page-specific styles: the cards of the four emulators. */
export const SANDBOX_STYLES = `
.sandbox-label{display:inline-block;background:var(--warn-bg,#fef3c7);color:var(--warn,#92400e);border:1px solid #fcd34d;border-radius:999px;padding:.1rem .65rem;font-weight:700;letter-spacing:.06em;font-size:.8rem}
.sandbox-grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
.sandbox-grid .card h2{margin-top:0;font-size:1.1rem}
.sandbox-grid form.inline{display:inline-flex;gap:.35rem;align-items:center;margin:0}
.sandbox-add{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem;margin-top:1rem}
.sandbox-add .actions{grid-column:1/-1}
.email-frame{width:100%;min-height:28rem;border:1px solid #e2e8f0;border-radius:8px;background:#fff}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
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

export const money = (amount: number, currency = "usd") =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(amount);

export const invoiceTone = (status: string): Tone => (status === "paid" ? "ok" : status === "open" ? "warn" : "muted");

export function Csrf(props: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={props.csrf} />;
}

/** A deal's journey in the Worker's D1, when the deal started one. */
export interface DealJourney {
  id: string;
  phase: string;
  status: string;
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
          <section class="card" aria-labelledby="sb-deals">
            <h2 id="sb-deals">HubSpot deals</h2>
            {on("hubspot") ? (
              <>
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">Deal</th>
                      <th scope="col">Amount</th>
                      <th scope="col">Stage</th>
                      <th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.deals.map((deal) => {
                      const journey = props.journeys.get(deal.id);
                      return (
                        <tr>
                          <td>
                            {deal.name}
                            <div class="small muted">
                              {deal.contact
                                ? `${deal.contact.firstName} ${deal.contact.lastName}`.trim()
                                : "no contact"}
                            </div>
                          </td>
                          <td>{money(deal.amount)}</td>
                          <td>
                            <Badge tone={deal.won ? "ok" : "muted"}>{deal.won ? "closed won" : deal.stage}</Badge>
                          </td>
                          <td>
                            {journey ? (
                              <a href={`/journeys/${journey.id}`}>Journey ({journey.phase})</a>
                            ) : deal.won ? (
                              <span class="muted small">journey starting…</span>
                            ) : (
                              <form method="post" action={`/sandbox/hubspot/deals/${deal.id}/win`} class="inline">
                                <Csrf csrf={csrf} />
                                <button type="submit" class="btn btn-primary btn-small">
                                  Mark won
                                </button>
                              </form>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <form method="post" action="/sandbox/hubspot/deals" class="sandbox-add" aria-label="Add a deal">
                  <Csrf csrf={csrf} />
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
              </>
            ) : (
              <p class="muted">HubSpot runs against the real API.</p>
            )}
          </section>

          <section class="card" aria-labelledby="sb-invoices">
            <h2 id="sb-invoices">Stripe invoices</h2>
            {!on("stripe") ? (
              <p class="muted">Stripe runs against the real API.</p>
            ) : state.invoices.length === 0 ? (
              <p class="muted">No invoices yet. Mark a deal won: the journey sends the deposit invoice.</p>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Invoice</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Status</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {state.invoices.map((invoice) => (
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
                      <td>
                        {invoice.status === "open" && (
                          <form method="post" action={`/sandbox/stripe/invoices/${invoice.id}/pay`} class="inline">
                            <Csrf csrf={csrf} />
                            <button type="submit" class="btn btn-primary btn-small">
                              Pay
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section class="card" aria-labelledby="sb-cards">
            <h2 id="sb-cards">Notion board</h2>
            {!on("notion") ? (
              <p class="muted">Notion runs against the real API.</p>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Card</th>
                    <th scope="col">Status</th>
                    <th scope="col">Move to</th>
                  </tr>
                </thead>
                <tbody>
                  {state.cards.map((card) => (
                    <tr>
                      <td>
                        {card.title}
                        <div class="small muted">{card.client}</div>
                      </td>
                      <td>
                        <Badge tone="info">{card.status ?? "—"}</Badge>
                      </td>
                      <td>
                        <form method="post" action={`/sandbox/notion/pages/${card.id}/status`} class="inline">
                          <Csrf csrf={csrf} />
                          <label>
                            <span class="visually-hidden">New status of {card.title}</span>
                            <select name="status">
                              {state.statuses.map((s) => (
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
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section class="card" aria-labelledby="sb-emails">
            <h2 id="sb-emails">Sent emails</h2>
            {!on("google") ? (
              <p class="muted">Gmail runs against the real API.</p>
            ) : state.emails.length === 0 ? (
              <p class="muted">Nothing sent yet. The welcome email goes out when a deal is won.</p>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">To</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Sent</th>
                  </tr>
                </thead>
                <tbody>
                  {state.emails.map((mail) => (
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
                </tbody>
              </table>
            )}
          </section>
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
