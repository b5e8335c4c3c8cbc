import { Style } from "../../ui/style-tag";
import { Badge, DashboardLayout, PageHeader, When } from "../dashboard-layout";
import type { SandboxState } from "./control-client";
import { Csrf, invoiceTone, money, NoticeFor, type PageNotice, SANDBOX_STYLES } from "./pages";

type SandboxInvoice = SandboxState["invoices"][number];

const INVOICE_STYLES = `
.invoice-facts{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.5rem;margin:0}
.invoice-facts dt{color:var(--muted)}.invoice-facts dd{margin:0}
.invoice-amount{font-size:1.6rem;font-weight:700}
`;

/**
 * `/sandbox/invoices/:id`: the sandbox's stand-in for Stripe's hosted invoice
 * page (the welcome email and the journey page link here in the sandbox).
 * "Pay this invoice" pays it as the client would, which delivers Stripe's
 * signed invoice.paid event to this Worker.
 */
export function SandboxInvoicePage(props: { csrf: string; invoice: SandboxInvoice; notice?: PageNotice }) {
  const { invoice, csrf } = props;
  const name = invoice.number ?? invoice.id;
  return (
    <DashboardLayout title={`Sandbox invoice ${name}`} section="sandbox" csrf={csrf} sandbox>
      <Style css={SANDBOX_STYLES + INVOICE_STYLES} />
      <p class="small">
        <a href="/sandbox">← Back to the sandbox</a>
      </p>
      <PageHeader
        title={`Sandbox invoice ${name}`}
        subtitle="This page stands in for Stripe's hosted invoice page while the sandbox runs. No money moves."
      >
        <span class="sandbox-label">SANDBOX</span>
      </PageHeader>
      <div aria-live="polite">
        <NoticeFor notice={props.notice} />
      </div>
      <section class="card" aria-labelledby="invoice-summary">
        <h2 id="invoice-summary">Invoice {name}</h2>
        <p class="invoice-amount">{money(invoice.amountDue / 100, invoice.currency)}</p>
        <dl class="invoice-facts">
          <dt>Status</dt>
          <dd>
            <Badge tone={invoiceTone(invoice.status)}>{invoice.status}</Badge>
          </dd>
          <dt>Customer</dt>
          <dd>{invoice.customerEmail || "—"}</dd>
          {invoice.description && (
            <>
              <dt>Description</dt>
              <dd>{invoice.description}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>
            <When at={invoice.createdAt} />
          </dd>
          <dt>Stripe id</dt>
          <dd class="mono">{invoice.id}</dd>
          {invoice.journeyId && (
            <>
              <dt>Journey</dt>
              <dd>
                <a href={`/journeys/${encodeURIComponent(invoice.journeyId)}`}>Open the client's journey</a>
              </dd>
            </>
          )}
        </dl>
        {invoice.status === "open" ? (
          <form method="post" action={`/sandbox/stripe/invoices/${invoice.id}/pay`} class="actions">
            <Csrf csrf={csrf} />
            <input type="hidden" name="back" value="invoice" />
            <button type="submit" class="btn btn-primary">
              Pay this invoice
            </button>
          </form>
        ) : (
          <p class="muted">
            {invoice.status === "paid"
              ? "This invoice is paid."
              : `This invoice is ${invoice.status}: it cannot be paid.`}
          </p>
        )}
      </section>
    </DashboardLayout>
  );
}
