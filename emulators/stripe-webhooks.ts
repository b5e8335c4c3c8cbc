import { http } from "msw";
import Stripe from "stripe";
import { type Form, nested, type StripeRoute } from "./stripe-invoices";

/** A webhook endpoint a business's key created (Stripe's WebhookEndpoint, the fields Clientflow uses). */
export interface EmulatedEndpoint {
  id: string;
  object: "webhook_endpoint";
  /** The account whose key created it: Stripe sends it that account's events only. */
  account: string;
  url: string;
  enabled_events: string[];
  /** The version its events are rendered in (`api_version` at creation; null: the account's default). */
  api_version: string | null;
  description: string | null;
  metadata: Record<string, string>;
  /** Stripe disables an endpoint that keeps failing, or the owner does in the Dashboard. */
  status: "enabled" | "disabled";
  secret: string;
  created: number;
}

/** One POST Stripe would make: where, the exact body, and its Stripe-Signature. */
export interface StripeDelivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** The platform's Connect endpoint: where App-mode (OAuth-connected) accounts' events go. */
export interface ConnectEndpoint {
  url: string;
  secret: string;
}

const sign = (payload: string, secret: string) =>
  Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });

/**
 * Stripe's webhook endpoints API (`POST /v1/webhook_endpoints`, whose answer
 * carries the `whsec_…` secret this once; `GET` lists without secrets;
 * `GET` and `DELETE /v1/webhook_endpoints/{id}`), and delivery the way Stripe does it:
 * an account with endpoints of its own gets each event at each of them that
 * enabled its type, signed with that endpoint's secret, without `account`
 * and rendered in the endpoint's `api_version` when it has one; any other account's events go to the platform's Connect
 * endpoint with `account` set. https://docs.stripe.com/api/webhook_endpoints,
 * https://docs.stripe.com/connect/webhooks
 */
/** Stripe's answer for an endpoint id the key's account does not have. */
const noSuchEndpoint = (id: string) => ({
  status: 404,
  body: { error: { type: "invalid_request_error", message: `No such webhook endpoint: '${id}'` } },
});

export class StripeWebhookEndpoints {
  readonly endpoints = new Map<string, EmulatedEndpoint>();

  constructor(private readonly nextId: (prefix: string) => string) {}

  /** The endpoints of one account. */
  of(account: string): EmulatedEndpoint[] {
    return [...this.endpoints.values()].filter((e) => e.account === account);
  }

  /** Where Stripe would POST `event` (an envelope from `StripeFake.event`) of `account`, signed. */
  async deliveries(
    event: { type: string } & Record<string, unknown>,
    account: string,
    connect: ConnectEndpoint,
  ): Promise<StripeDelivery[]> {
    const own = this.of(account)
      .filter((e) => e.status === "enabled")
      .filter((e) => e.enabled_events.includes(event.type) || e.enabled_events.includes("*"));
    if (this.of(account).length > 0) {
      return Promise.all(
        own.map(async (endpoint) => {
          const { account: _omitted, ...body } = event;
          const payload = JSON.stringify(endpoint.api_version ? { ...body, api_version: endpoint.api_version } : body);
          return {
            url: endpoint.url,
            body: payload,
            headers: { "stripe-signature": await sign(payload, endpoint.secret) },
          };
        }),
      );
    }
    const payload = JSON.stringify({ ...event, account });
    return [{ url: connect.url, body: payload, headers: { "stripe-signature": await sign(payload, connect.secret) } }];
  }

  handlers(b: string, route: StripeRoute) {
    const visible = ({ secret: _secret, account: _account, ...endpoint }: EmulatedEndpoint) => endpoint;
    return [
      http.post(
        `${b}/v1/webhook_endpoints`,
        route((form: Form, _params, _search, owner) => {
          const enabled = Object.values(nested(form, "enabled_events"));
          if (!form.url || enabled.length === 0)
            return {
              status: 400,
              body: { error: { type: "invalid_request_error", message: "Missing required param" } },
            };
          const endpoint: EmulatedEndpoint = {
            id: this.nextId("we"),
            object: "webhook_endpoint",
            account: owner,
            url: form.url,
            enabled_events: enabled,
            api_version: form.api_version ?? null,
            description: form.description ?? null,
            metadata: nested(form, "metadata"),
            status: "enabled",
            secret: `whsec_${crypto.randomUUID().replaceAll("-", "")}`,
            created: Math.floor(Date.now() / 1000),
          };
          this.endpoints.set(endpoint.id, endpoint);
          return { status: 200, body: { ...visible(endpoint), secret: endpoint.secret } };
        }),
      ),
      http.get(
        `${b}/v1/webhook_endpoints`,
        route((_form, _params, search, owner) => ({
          status: 200,
          body: {
            object: "list",
            url: "/v1/webhook_endpoints",
            has_more: false,
            data: this.of(owner)
              .map(visible)
              .slice(0, Number(search.get("limit") ?? 10)),
          },
        })),
      ),
      http.get(
        `${b}/v1/webhook_endpoints/:id`,
        route<{ id: string }>((_form, params, _search, owner) => {
          const endpoint = this.endpoints.get(params.id);
          if (!endpoint || endpoint.account !== owner) return noSuchEndpoint(params.id);
          return { status: 200, body: visible(endpoint) };
        }),
      ),
      http.delete(
        `${b}/v1/webhook_endpoints/:id`,
        route<{ id: string }>((_form, params, _search, owner) => {
          const endpoint = this.endpoints.get(params.id);
          if (!endpoint || endpoint.account !== owner) return noSuchEndpoint(params.id);
          this.endpoints.delete(params.id);
          return { status: 200, body: { id: params.id, object: "webhook_endpoint", deleted: true } };
        }),
      ),
    ];
  }
}
