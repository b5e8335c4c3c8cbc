import { HttpResponse, http } from "msw";
import { basicCredentials, OAuthServer } from "./oauth-server";
import { type MockRequest, type PathParams, RequestLog, recordRequest } from "./recorder";

type Form = Record<string, string>;

interface Invoice {
  id: string;
  object: "invoice";
  customer: string;
  currency: string;
  status: "draft" | "open" | "paid";
  collection_method: string;
  days_until_due: number | null;
  description: string | null;
  metadata: Record<string, string>;
  lines: { object: "list"; data: { id: string; amount: number; description: string }[] };
  amount_due: number;
  hosted_invoice_url: string | null;
  number: string | null;
  due_date: number | null;
  created: number;
  status_transitions: { paid_at: number | null; finalized_at: number | null };
}

/** `metadata[a]=b` form fields → `{ a: b }`. */
function nested(form: Form, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = new RegExp(`^${prefix}\\[(.+)\\]$`).exec(key);
    if (match?.[1]) out[match[1]] = value;
  }
  return out;
}

const stripeError = (status: number, message: string, type = "invalid_request_error") =>
  HttpResponse.json({ error: { type, message } }, { status });

/**
 * A stateful emulator of the Stripe endpoints Clientflow uses (customers,
 * invoices, invoice items, finalize), with Stripe's idempotency semantics:
 * a repeated Idempotency-Key replays the saved response.
 */
export class StripeFake {
  readonly requests = new RequestLog();
  readonly customers = new Map<
    string,
    { id: string; object: "customer"; email: string; name: string | null; metadata: Record<string, string> }
  >();
  readonly invoices = new Map<string, Invoice>();
  private readonly saved = new Map<string, { status: number; body: unknown }>();
  protected seq = 0;

  /** The Stripe App's OAuth server: one-hour tokens (not stated), refresh tokens rotate. */
  readonly oauth: OAuthServer;
  /** Restricted keys a business created, by the account they belong to. */
  readonly restrictedKeys = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly secretKey: string,
    readonly platform = { clientId: "ca_test_clientflow", secretKey: "sk_test_platform" },
  ) {
    this.oauth = new OAuthServer("stripe", platform.clientId, { rotateRefreshTokens: true });
  }

  private keyOwner(key: string): string | null {
    if (key === this.secretKey || key === this.platform.secretKey) return "acct_platform000001";
    const viaOAuth = this.oauth.accessTokens.get(key);
    if (viaOAuth) return String(viaOAuth.accountId);
    return this.restrictedKeys.get(key) ?? null;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${String(this.seq).padStart(6, "0")}`;
  }

  /** Marks an invoice paid (what the hosted page does) and returns it. */
  pay(invoiceId: string, at = Math.floor(Date.now() / 1000)): Invoice {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice) throw new Error(`no invoice ${invoiceId}`);
    invoice.status = "paid";
    invoice.status_transitions.paid_at = at;
    return invoice;
  }

  /** A Stripe event envelope around an object, as webhooks deliver it. */
  event(type: string, object: unknown, extra: Record<string, unknown> = {}) {
    return {
      id: this.nextId("evt"),
      object: "event",
      api_version: "2026-09-30.endive",
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object },
      ...extra,
    };
  }

  handlers() {
    const b = this.base;
    const route =
      <P extends PathParams>(
        fn: (form: Form, params: P, search: URLSearchParams) => { status: number; body: unknown },
      ) =>
      async ({ request, params }: { request: MockRequest; params: PathParams }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        if (!this.keyOwner(request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "")) {
          return stripeError(401, "Invalid API Key provided", "invalid_request_error");
        }
        const key = request.headers.get("idempotency-key");
        const savedKey = key ? `${request.method} ${recorded.path} ${key}` : null;
        const replay = savedKey ? this.saved.get(savedKey) : undefined;
        if (replay)
          return HttpResponse.json(replay.body as object, {
            status: replay.status,
            headers: { "idempotent-replayed": "true" },
          });
        const result = fn((recorded.body as Form | null) ?? {}, params as P, recorded.search);
        if (savedKey) this.saved.set(savedKey, result);
        return HttpResponse.json(result.body as object, {
          status: result.status,
          headers: { "request-id": `req_${this.seq}` },
        });
      };
    return [
      http.post(`${b}/v1/oauth/token`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const [user] = basicCredentials(request) ?? [];
        if (user !== this.platform.secretKey) return stripeError(401, "Invalid API Key provided");
        return this.oauth.token(recorded.body as Record<string, string>, (identity) => ({
          stripe_user_id: identity.accountId,
          livemode: false,
          scope: "stripe_apps",
          stripe_publishable_key: "pk_test_fake",
        }));
      }),
      http.get(`${b}/v1/account`, async ({ request }) => {
        this.requests.push(await recordRequest(request));
        const owner = this.keyOwner(request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "");
        return owner
          ? HttpResponse.json({ id: owner, object: "account" })
          : stripeError(401, "Invalid API Key provided");
      }),
      http.get(
        `${b}/v1/customers`,
        route((_form, _params, search) => ({
          status: 200,
          body: {
            object: "list",
            url: "/v1/customers",
            has_more: false,
            data: [...this.customers.values()]
              .filter((c) => c.email === search.get("email"))
              .slice(0, Number(search.get("limit") ?? 10)),
          },
        })),
      ),
      http.post(
        `${b}/v1/customers`,
        route((form) => {
          const customer = {
            id: this.nextId("cus"),
            object: "customer" as const,
            email: form.email ?? "",
            name: form.name ?? null,
            metadata: nested(form, "metadata"),
          };
          this.customers.set(customer.id, customer);
          return { status: 200, body: customer };
        }),
      ),
      http.post(
        `${b}/v1/invoices`,
        route((form) => {
          if (!form.customer || !this.customers.has(form.customer))
            return { status: 400, body: { error: { type: "invalid_request_error", message: "No such customer" } } };
          const invoice: Invoice = {
            id: this.nextId("in"),
            object: "invoice",
            customer: form.customer,
            currency: form.currency ?? "usd",
            status: "draft",
            collection_method: form.collection_method ?? "charge_automatically",
            days_until_due: form.days_until_due ? Number(form.days_until_due) : null,
            description: form.description ?? null,
            metadata: nested(form, "metadata"),
            lines: { object: "list", data: [] },
            amount_due: 0,
            hosted_invoice_url: null,
            number: null,
            due_date: null,
            created: Math.floor(Date.now() / 1000),
            status_transitions: { paid_at: null, finalized_at: null },
          };
          this.invoices.set(invoice.id, invoice);
          return { status: 200, body: invoice };
        }),
      ),
      http.post(
        `${b}/v1/invoiceitems`,
        route((form) => {
          const invoice = form.invoice ? this.invoices.get(form.invoice) : undefined;
          if (invoice?.status !== "draft")
            return {
              status: 400,
              body: { error: { type: "invalid_request_error", message: "Invoice is not a draft" } },
            };
          const item = { id: this.nextId("ii"), amount: Number(form.amount ?? 0), description: form.description ?? "" };
          invoice.lines.data.push(item);
          invoice.amount_due += item.amount;
          return { status: 200, body: { object: "invoiceitem", invoice: invoice.id, ...item } };
        }),
      ),
      http.post(
        `${b}/v1/invoices/:id/finalize`,
        route<{ id: string }>((_form, { id }) => {
          const invoice = this.invoices.get(id);
          if (!invoice)
            return { status: 404, body: { error: { type: "invalid_request_error", message: "No such invoice" } } };
          if (invoice.status !== "draft")
            return {
              status: 400,
              body: { error: { type: "invalid_request_error", message: "Invoice is already finalized" } },
            };
          const now = Math.floor(Date.now() / 1000);
          invoice.status = "open";
          invoice.number = `CF-${String(this.invoices.size).padStart(4, "0")}`;
          invoice.hosted_invoice_url = `https://invoice.stripe.test/i/${invoice.id}`;
          invoice.due_date = now + (invoice.days_until_due ?? 0) * 86_400;
          invoice.status_transitions.finalized_at = now;
          return { status: 200, body: invoice };
        }),
      ),
    ];
  }
}
