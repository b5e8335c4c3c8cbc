import { HttpResponse, http } from "msw";
import { STRIPE_API_VERSION } from "../integrations/stripe/http";
import { contractGate } from "./contracts/gate";
import { basicCredentials, OAuthServer } from "./oauth-server";
import { rateLimitOf } from "./rate-limit-specs";
import { type MockRequest, type PathParams, RequestLog, recordRequest } from "./recorder";
import { type Form, type Invoice, type InvoiceItem, invoiceHandlers, nested } from "./stripe-invoices";
import { StripeInvoicePayments } from "./stripe-payments";
import { StripeWebhookEndpoints } from "./stripe-webhooks";

/** The account the emulator's own secret keys (and the sandbox's) act in. */
export const EMULATED_ACCOUNT = "acct_platform000001";

const stripeError = (status: number, message: string, type = "invalid_request_error") =>
  HttpResponse.json({ error: { type, message } }, { status });

const bearer = (request: MockRequest) => request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";

/** A restricted key a business created: its account, the resources it has Write on (Write includes Read), and Read on. */
export interface RestrictedKey {
  account: string;
  write: ReadonlySet<string>;
  read: ReadonlySet<string>;
}

/** A failure the emulator answers with in place of (or after) running a request; see `StripeFake.failNext`. */
export interface StripeFault {
  method: string;
  path: string | RegExp;
  status: number;
  /** Run the request first (the object exists at Stripe), then answer the failure. */
  afterExecuting: boolean;
  /** Requests left to fail. */
  times: number;
  /** Only requests whose form fields match. */
  when?: (form: Form) => boolean;
  /** Requests it failed so far. */
  hits: number;
}

/** The params of a request as Stripe's idempotency layer compares them (field order does not matter). */
const paramsOf = (form: Form) => JSON.stringify(Object.entries(form).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * A stateful emulator of the Stripe endpoints Clientflow uses (invoices: stripe-invoices.ts, invoice payments:
 * stripe-payments.ts), with Stripe's idempotency semantics (https://docs.stripe.com/api/idempotent_requests): the
 * first answer to a POST with an Idempotency-Key is saved per account, 500s included, and a repeat with the same key
 * and params gets it back; the same key with other params (or another endpoint) is a 400 `idempotency_error`.
 */
export class StripeFake {
  readonly requests = new RequestLog();
  readonly rateLimit = rateLimitOf("stripe"); // off unless a test turns it on
  readonly customers = new Map<
    string,
    { id: string; object: "customer"; email: string; name: string | null; metadata: Record<string, string> }
  >();
  readonly invoices = new Map<string, Invoice>();
  readonly invoiceItems = new Map<string, InvoiceItem>();
  /** One entry (the invoice id) per invoice email Stripe sent: a replayed send is not an email. */
  readonly emailed: string[] = [];
  private readonly saved = new Map<
    string,
    { method: string; path: string; params: string; status: number; body: unknown }
  >();
  private readonly faults: StripeFault[] = [];
  protected seq = 0;

  readonly oauth: OAuthServer; // The Stripe App's OAuth server: one-hour tokens (not stated), refresh tokens rotate.
  /** Restricted keys a business created: the account each belongs to and the resources it may write. */
  readonly restrictedKeys = new Map<string, RestrictedKey>();
  /** Webhook endpoints accounts created, and delivery of events to them or to the platform's Connect endpoint. */
  readonly webhooks = new StripeWebhookEndpoints((prefix) => this.nextId(prefix));
  /** Invoice payments (one PaymentIntent and charge per paid invoice), refunds and disputes of them. */
  readonly payments = new StripeInvoicePayments((prefix) => this.nextId(prefix));

  constructor(
    readonly base: string,
    readonly secretKey: string,
    readonly platform = { clientId: "ca_test_clientflow", secretKey: "sk_test_platform" },
  ) {
    this.oauth = new OAuthServer("stripe", platform.clientId, { rotateRefreshTokens: true });
  }

  /** The account a key acts in (null for a key Stripe would refuse). */
  keyOwner(key: string): string | null {
    if (key === this.secretKey || key === this.platform.secretKey) return EMULATED_ACCOUNT;
    const viaOAuth = this.oauth.accessTokens.get(key);
    if (viaOAuth) return String(viaOAuth.accountId);
    return this.restrictedKeys.get(key)?.account ?? null;
  }

  /** A restricted key for `account`, by default with the permissions Clientflow asks for. */
  restrictedKey(
    key: string,
    account: string,
    write: readonly string[] = ["customers", "invoices", "invoiceitems", "webhook_endpoints"],
    read: readonly string[] = ["invoice_payments"],
  ) {
    this.restrictedKeys.set(key, { account, write: new Set(write), read: new Set(read) });
  }

  /**
   * Stripe's 403 for a restricted key without the permission a request needs (an `invalid_request_error` naming the
   * `rak_…` permission). Write includes Read; GET /v1/account is open to no restricted key.
   * https://docs.stripe.com/keys/restricted-api-keys
   */
  private permissionDenied(key: string, method: string, path: string) {
    const restricted = this.restrictedKeys.get(key);
    if (!restricted) return null;
    const resource = /^\/v1\/([a-z_]+)/.exec(path)?.[1] ?? "";
    const allowed = restricted.write.has(resource) || (method === "GET" && restricted.read.has(resource));
    if (resource !== "account" && allowed) return null;
    const redacted = `${key.slice(0, 8)}***${key.slice(-4)}`;
    const needs =
      resource === "account"
        ? "This restricted key cannot use this endpoint: no restricted-key permission covers it."
        : `Having the 'rak_${resource.replace(/s$/, "")}_${method === "GET" ? "read" : "write"}' permission would allow this request to continue.`;
    return stripeError(
      403,
      `The provided key '${redacted}' does not have the required permissions for this endpoint on account '${restricted.account}'. ${needs}`,
    );
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${String(this.seq).padStart(6, "0")}`;
  }

  /**
   * The next `times` (default 1) requests to `method path` (whose form fields match `when`) answer `status` (default
   * 500). Stripe saves such an answer under the request's Idempotency-Key like any other once the endpoint began
   * executing, so a repeat of the key gets it back. With `afterExecuting`, the request runs first (the invoice
   * exists) and only the answer is a failure.
   */
  failNext(
    method: string,
    path: string | RegExp,
    options: { status?: number; afterExecuting?: boolean; times?: number; when?: (form: Form) => boolean } = {},
  ): StripeFault {
    const fault: StripeFault = {
      method: method.toUpperCase(),
      path,
      status: options.status ?? 500,
      afterExecuting: options.afterExecuting ?? false,
      times: options.times ?? 1,
      when: options.when,
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Drops the faults not yet used up. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(method: string, path: string, form: Form): StripeFault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.times > 0 &&
        f.method === method &&
        (typeof f.path === "string" ? f.path === path : f.path.test(path)) &&
        (f.when?.(form) ?? true),
    );
    if (fault) {
      fault.times -= 1;
      fault.hits += 1;
    }
    return fault;
  }

  /** Marks an invoice paid (what the hosted page does; its payment is recorded) and returns it. */
  pay(invoiceId: string, at = Math.floor(Date.now() / 1000)): Invoice {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice || invoice.status === "void") throw new Error(`no payable invoice ${invoiceId}: it cannot be paid`);
    invoice.status = "paid";
    invoice.status_transitions.paid_at = at;
    this.payments.record(invoice, at);
    return invoice;
  }

  /** A Stripe event envelope around an object, as webhooks deliver it. */
  event(type: string, object: unknown, extra: Record<string, unknown> = {}) {
    return {
      id: this.nextId("evt"),
      object: "event",
      // The version Clientflow pins on its requests and on the endpoints it creates.
      api_version: STRIPE_API_VERSION,
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
        fn: (form: Form, params: P, search: URLSearchParams, owner: string) => { status: number; body: unknown },
      ) =>
      async ({ request, params }: { request: MockRequest; params: PathParams }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const owner = this.keyOwner(bearer(request));
        if (!owner) return stripeError(401, "Invalid API Key provided", "invalid_request_error");
        const denied = this.permissionDenied(bearer(request), request.method, recorded.path);
        if (denied) return denied;
        const form = (recorded.body as Form | null) ?? {};
        // Keys are per account and only mean something on POST (Stripe ignores them on GET and DELETE).
        const key = request.method === "POST" ? request.headers.get("idempotency-key") : null;
        const savedKey = key ? `${owner} ${key}` : null;
        const replay = savedKey ? this.saved.get(savedKey) : undefined;
        if (replay) {
          if (replay.method !== request.method || replay.path !== recorded.path || replay.params !== paramsOf(form))
            return stripeError(
              400,
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              "idempotency_error",
            );
          return HttpResponse.json(replay.body as object, {
            status: replay.status,
            headers: { "idempotent-replayed": "true" },
          });
        }
        const fault = this.takeFault(request.method, recorded.path, form);
        const failure = fault && {
          status: fault.status,
          body: { error: { type: "api_error", message: "Something went wrong on Stripe's end (emulated)" } },
        };
        let result = failure && !fault.afterExecuting ? failure : fn(form, params as P, recorded.search, owner);
        if (failure && fault.afterExecuting) result = failure;
        if (savedKey)
          this.saved.set(savedKey, { method: request.method, path: recorded.path, params: paramsOf(form), ...result });
        return HttpResponse.json(result.body as object, {
          status: result.status,
          headers: { "request-id": `req_${this.seq}` },
        });
      };
    return [
      contractGate("stripe", [{ base: b, paths: ["/v1/"] }]),
      this.rateLimit.handler(b, "/v1/"),
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
        const owner = this.keyOwner(bearer(request));
        if (!owner) return stripeError(401, "Invalid API Key provided");
        const denied = this.permissionDenied(bearer(request), "GET", "/v1/account");
        return denied ?? HttpResponse.json({ id: owner, object: "account" });
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
              .filter((c) => !search.has("email") || c.email === search.get("email"))
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
      ...invoiceHandlers(this, b, route, (prefix) => this.nextId(prefix)),
      ...this.webhooks.handlers(b, route),
      ...this.payments.handlers(b, route),
    ];
  }
}
