import { HttpResponse, http } from "msw";
import { contractGate } from "./contracts/gate";
import { type CrmState, crmHandlers, defaultPipelines, type Pipeline, propertiesDontExist } from "./hubspot-crm";
import { OAuthServer } from "./oauth-server";
import { rateLimitOf } from "./rate-limit-specs";
import { type MockRequest, type PathParams, type RecordedRequest, RequestLog, recordRequest } from "./recorder";

interface Deal {
  properties: Record<string, string | null>;
  contactIds: string[];
  lineItemIds: string[];
}

/**
 * A stateful emulator of the HubSpot CRM endpoints Clientflow uses: deals
 * with associations, contacts, line-item batch read, deal properties; and
 * (hubspot-crm.ts) contact and deal search and create, deal pipelines.
 */
export class HubspotFake implements CrmState {
  readonly requests = new RequestLog();
  /**
   * Logged deal writes refused because they named properties that did not exist (answered 400): tests count
   * the writes HubSpot made apart from them.
   */
  readonly refused = new WeakSet<RecordedRequest>();
  private readonly recordedAs = new WeakMap<MockRequest, RecordedRequest>();
  readonly rateLimit = rateLimitOf("hubspot"); // off unless a test turns it on
  readonly deals = new Map<string, Deal>();
  readonly contacts = new Map<string, Record<string, string>>();
  readonly lineItems = new Map<string, Record<string, string>>();
  readonly dealProperties = new Set<string>([
    "dealname",
    "amount",
    "dealstage",
    "pipeline",
    "closedate",
    "description",
  ]);
  /** Deal pipelines, in the order GET /crm/v3/pipelines/deals lists them. */
  pipelines: Pipeline[] = defaultPipelines();
  /** Ids the search index has not caught up with (found by id and by a duplicate-email 409, not by search). */
  readonly unindexed = new Set<string>();
  protected idSeq = 880_000_000;

  /** A fresh record id, as HubSpot assigns them on create. */
  nextId(): string {
    let id: string;
    do {
      this.idSeq += 1;
      id = String(this.idSeq);
    } while (this.deals.has(id) || this.contacts.has(id));
    return id;
  }

  /**
   * Webhook event ids: a counter from this emulator's start time × 1000, so
   * events made in one millisecond differ and a restarted sandbox (whose
   * Worker keeps its D1 events) does not reuse the last run's ids.
   */
  protected eventSeq = Date.now() * 1000;

  /** A fresh webhook `eventId`, unique within this emulator however fast events are made. */
  nextEventId(): number {
    this.eventSeq += 1;
    return this.eventSeq;
  }

  /** Adds a contact as if it had been created in HubSpot; returns its id. */
  addContact(properties: Record<string, string>, options: { indexed?: boolean } = {}): string {
    const id = this.nextId();
    this.contacts.set(id, { ...properties });
    if (options.indexed === false) this.unindexed.add(id);
    return id;
  }

  /** The app's OAuth server: 30-minute access tokens, refresh tokens that do not rotate. */
  readonly oauth: OAuthServer;

  constructor(
    readonly base: string,
    readonly accessToken: string,
    readonly client = { id: "hs-client-id", secret: "hs-client-secret-current" },
    /** The app's id in HubSpot (a developer account's app has a numeric id besides its client id). */
    readonly appId = "1160452",
  ) {
    this.oauth = new OAuthServer("hubspot", client.id, {
      rotateRefreshTokens: false,
      expiresIn: 1800,
      refreshErrorBody: { status: "BAD_REFRESH_TOKEN", message: "missing or invalid refresh token" },
    });
  }

  addDeal(
    id: string,
    deal: {
      properties: Record<string, string>;
      contact?: Record<string, string>;
      lineItems?: Record<string, string>[];
    },
  ) {
    const contactIds: string[] = [];
    if (deal.contact) {
      const contactId = `9${id}`;
      this.contacts.set(contactId, deal.contact);
      contactIds.push(contactId);
    }
    const lineItemIds = (deal.lineItems ?? []).map((item, i) => {
      const itemId = `7${id}${i}`;
      this.lineItems.set(itemId, item);
      return itemId;
    });
    this.deals.set(id, { properties: { ...deal.properties }, contactIds, lineItemIds });
  }

  /**
   * What HubSpot stamps on a record created through the API (knowledge base
   * "View and use record source properties",
   * https://knowledge.hubspot.com/properties/view-and-use-the-record-source-property):
   * a token this app's OAuth server issued → `INTEGRATION` and the app's id;
   * the fixed token (a private app's, whose id the emulator does not know) → `API`.
   */
  sourceOf(request: MockRequest): Record<string, string | null> {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return this.oauth.accessTokens.has(token)
      ? { hs_object_source: "INTEGRATION", hs_object_source_id: this.appId }
      : { hs_object_source: "API", hs_object_source_id: null };
  }

  private authorized(request: MockRequest): boolean {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return token === this.accessToken || this.oauth.accessTokens.has(token);
  }

  private unauthorized() {
    return HttpResponse.json(
      { status: "error", message: "Authentication credentials not found.", category: "INVALID_AUTHENTICATION" },
      { status: 401 },
    );
  }

  private notFound(what: string) {
    return HttpResponse.json(
      { status: "error", message: `${what} not found`, category: "OBJECT_NOT_FOUND" },
      { status: 404 },
    );
  }

  handlers() {
    const b = this.base;
    const guard =
      <P extends PathParams>(fn: (request: MockRequest, params: P) => Promise<Response> | Response) =>
      async ({ request, params }: { request: MockRequest; params: PathParams }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        this.recordedAs.set(request, recorded);
        if (!this.authorized(request)) return this.unauthorized();
        return fn(request, params as P);
      };
    return [
      contractGate("hubspot", [{ base: b, paths: ["/"] }]),
      this.rateLimit.handler(b, "/crm/"),
      http.post(`${b}/oauth/2026-03/token`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        const form = recorded.body as Record<string, string>;
        if (form.client_id !== this.client.id || form.client_secret !== this.client.secret) {
          return HttpResponse.json(
            { status: "error", message: "invalid client", error: "invalid_client" },
            { status: 401 },
          );
        }
        return this.oauth.token(form, (identity) => ({
          hub_id: identity.hubId,
          scopes: ["crm.objects.deals.read"],
          user_id: 1,
        }));
      }),
      http.post(`${b}/oauth/2026-03/token/revoke`, async ({ request }) => {
        const recorded = await recordRequest(request);
        this.requests.push(recorded);
        this.oauth.revoke((recorded.body as Record<string, string>).token ?? "");
        return new HttpResponse(null, { status: 200 });
      }),
      http.get(
        `${b}/crm/v3/objects/deals/:id`,
        guard<{ id: string }>((_request, { id }) => {
          const deal = this.deals.get(id);
          if (!deal) return this.notFound("Deal");
          const associations: Record<string, { results: { id: string; type: string }[] }> = {};
          if (deal.contactIds.length)
            associations.contacts = { results: deal.contactIds.map((c) => ({ id: c, type: "deal_to_contact" })) };
          if (deal.lineItemIds.length) {
            associations["line items"] = {
              results: deal.lineItemIds.map((l) => ({ id: l, type: "deal_to_line_item" })),
            };
          }
          return HttpResponse.json({ id, properties: deal.properties, associations });
        }),
      ),
      http.patch(
        `${b}/crm/v3/objects/deals/:id`,
        guard<{ id: string }>(async (request, { id }) => {
          const deal = this.deals.get(id);
          if (!deal) return this.notFound("Deal");
          const { properties } = (await request.json()) as { properties: Record<string, string> };
          // Every unknown property is named, as HubSpot does (hubspot-crm.ts propertiesDontExist).
          const unknown = Object.keys(properties).filter((p) => !this.dealProperties.has(p));
          if (unknown.length > 0) {
            const recorded = this.recordedAs.get(request);
            if (recorded) this.refused.add(recorded);
            return propertiesDontExist(unknown);
          }
          Object.assign(deal.properties, properties);
          return HttpResponse.json({ id, properties: deal.properties });
        }),
      ),
      http.get(
        `${b}/crm/v3/objects/contacts/:id`,
        guard<{ id: string }>((request, { id }) => {
          const contact = this.contacts.get(id);
          if (!contact) return this.notFound("Contact");
          const wantsDeals = new URL(request.url).searchParams.get("associations")?.split(",").includes("deals");
          const deals = [...this.deals].filter(([, deal]) => deal.contactIds.includes(id)).map(([dealId]) => dealId);
          const associations =
            wantsDeals && deals.length
              ? { deals: { results: deals.map((d) => ({ id: d, type: "contact_to_deal" })) } }
              : undefined;
          return HttpResponse.json({ id, properties: contact, associations });
        }),
      ),
      http.post(
        `${b}/crm/v3/objects/line_items/batch/read`,
        guard(async (request) => {
          const { inputs } = (await request.json()) as { inputs: { id: string }[] };
          const results = inputs.flatMap(({ id }) => {
            const item = this.lineItems.get(id);
            return item ? [{ id, properties: item }] : [];
          });
          return HttpResponse.json({ status: "COMPLETE", results });
        }),
      ),
      http.get(
        `${b}/crm/v3/properties/deals/:name`,
        guard<{ name: string }>((_request, { name }) =>
          this.dealProperties.has(name) ? HttpResponse.json({ name, type: "string" }) : this.notFound("Property"),
        ),
      ),
      http.post(
        `${b}/crm/v3/properties/deals`,
        guard(async (request) => {
          const body = (await request.json()) as { name: string };
          if (this.dealProperties.has(body.name)) {
            return HttpResponse.json(
              { status: "error", message: "Property exists", category: "CONFLICT" },
              { status: 409 },
            );
          }
          this.dealProperties.add(body.name);
          return HttpResponse.json({ ...body }, { status: 201 });
        }),
      ),
      ...crmHandlers(this, guard),
    ];
  }
}
