import { HttpResponse, http } from "msw";
import type { MockRequest, PathParams } from "./recorder";

/** A deal pipeline as GET /crm/v3/pipelines/deals returns it. */
export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived?: boolean;
  stages: { id: string; label: string; displayOrder: number; archived?: boolean }[];
}

/** HubSpot's default sales pipeline (internal stage ids of a new account). */
export function defaultPipelines(): Pipeline[] {
  const stages = [
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "decisionmakerboughtin",
    "contractsent",
    "closedwon",
    "closedlost",
  ];
  return [
    {
      id: "default",
      label: "Sales Pipeline",
      displayOrder: 0,
      stages: stages.map((id, displayOrder) => ({ id, label: id, displayOrder })),
    },
  ];
}

/** The fake's state these handlers read and write (HubspotFake implements it). */
export interface CrmState {
  readonly base: string;
  readonly deals: Map<
    string,
    { properties: Record<string, string | null>; contactIds: string[]; lineItemIds: string[] }
  >;
  readonly contacts: Map<string, Record<string, string>>;
  readonly dealProperties: Set<string>;
  pipelines: Pipeline[];
  /** Records the search index has not caught up with yet: found by id, not by search. */
  readonly unindexed: Set<string>;
  nextId(): string;
  /**
   * The record-source properties HubSpot sets on a record the request's
   * token creates (read-only to clients; see src/engine/repurchase.ts).
   */
  sourceOf(request: MockRequest): Record<string, string | null>;
}

type Guard = <P extends PathParams>(
  fn: (request: MockRequest, params: P) => Promise<Response> | Response,
) => (info: { request: MockRequest; params: PathParams }) => Promise<Response>;

interface SearchBody {
  filterGroups?: { filters: { propertyName: string; operator: string; value?: string }[] }[];
  properties?: string[];
  limit?: number;
}

const error = (status: number, message: string, category: string) =>
  HttpResponse.json({ status: "error", message, correlationId: "00000000-fake", category }, { status });

/** The emulated account's hub id, as HubSpot names it (`portalId`) in a property validation error. */
const PORTAL_ID = 99_000_001;

/**
 * HubSpot's 400 for a write naming properties that do not exist, shaped as its
 * "Using Object APIs" guide shows it (error responses:
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis):
 * the per-property results JSON-encoded in `message`, one `errors[]` entry per
 * property (`code: "PROPERTY_DOESNT_EXIST"`, `context.propertyName`), `category: "VALIDATION_ERROR"`.
 */
export function propertiesDontExist(names: string[]) {
  const text = (name: string) => `Property "${name}" does not exist`;
  const results = names.map((name) => ({
    isValid: false,
    message: text(name),
    error: "PROPERTY_DOESNT_EXIST",
    name,
    localizedErrorMessage: text(name),
    portalId: PORTAL_ID,
  }));
  return HttpResponse.json(
    {
      status: "error",
      message: `Property values were not valid: ${JSON.stringify(results)}`,
      correlationId: crypto.randomUUID(),
      errors: names.map((name) => ({
        message: text(name),
        code: "PROPERTY_DOESNT_EXIST",
        context: { propertyName: [name] },
      })),
      category: "VALIDATION_ERROR",
    },
    { status: 400 },
  );
}

const record = (id: string, properties: Record<string, string | null>) => ({
  id,
  properties: { ...properties, hs_object_id: id },
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
  archived: false,
});

/** The properties that have a value (contacts are stored as strings only). */
const nonNull = (properties: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(properties).filter((e): e is [string, string] => e[1] !== null));

/** POST /crm/v3/objects/{type}/search: filter groups are OR'd, filters AND'd; EQ is case-insensitive. */
function search(
  state: CrmState,
  records: Iterable<[string, Record<string, string | null>]>,
  body: SearchBody,
  known?: (property: string) => boolean,
) {
  const filters = (body.filterGroups ?? []).flatMap((g) => g.filters);
  const unknown = filters.find((f) => known && !known(f.propertyName));
  if (unknown) return error(400, `Property "${unknown.propertyName}" does not exist`, "VALIDATION_ERROR");
  const unsupported = filters.find((f) => f.operator !== "EQ");
  if (unsupported) return error(400, `The fake supports EQ only, not ${unsupported.operator}`, "VALIDATION_ERROR");
  const matches = [...records].filter(
    ([id, properties]) =>
      !state.unindexed.has(id) &&
      ((body.filterGroups ?? []).length === 0 ||
        (body.filterGroups ?? []).some((group) =>
          group.filters.every(
            (f) => (properties[f.propertyName] ?? "").toLowerCase() === (f.value ?? "").toLowerCase(),
          ),
        )),
  );
  const wanted = body.properties ?? [];
  const results = matches.slice(0, body.limit ?? 10).map(([id, properties]) => {
    const picked = Object.fromEntries(wanted.map((p) => [p, properties[p] ?? null]));
    return record(id, picked);
  });
  return HttpResponse.json({ total: matches.length, results });
}

/**
 * Contacts search and create (409 CONFLICT on a duplicate email, as HubSpot
 * answers), deals search, create with associations and batch read, deal pipelines.
 */
export function crmHandlers(state: CrmState, guard: Guard) {
  const b = state.base;
  return [
    http.post(
      `${b}/crm/v3/objects/contacts/search`,
      guard(async (request) => search(state, state.contacts, (await request.json()) as SearchBody)),
    ),
    http.post(
      `${b}/crm/v3/objects/contacts`,
      guard(async (request) => {
        const { properties } = (await request.json()) as { properties: Record<string, string> };
        const email = properties.email?.toLowerCase();
        const existing = [...state.contacts].find(([, c]) => email && c.email?.toLowerCase() === email);
        if (existing) return error(409, `Contact already exists. Existing ID: ${existing[0]}`, "CONFLICT");
        const id = state.nextId();
        const stored = { ...properties, ...(email ? { email } : {}), ...nonNull(state.sourceOf(request)) };
        state.contacts.set(id, stored);
        return HttpResponse.json(record(id, stored), { status: 201 });
      }),
    ),
    http.post(
      `${b}/crm/v3/objects/deals/search`,
      guard(async (request) =>
        search(
          state,
          [...state.deals].map(([id, d]) => [id, d.properties] as [string, Record<string, string | null>]),
          (await request.json()) as SearchBody,
          (p) => state.dealProperties.has(p),
        ),
      ),
    ),
    http.post(
      `${b}/crm/v3/objects/deals`,
      guard(async (request) => {
        const body = (await request.json()) as {
          properties: Record<string, string>;
          associations?: { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[];
        };
        const unknown = Object.keys(body.properties).filter((p) => !state.dealProperties.has(p));
        if (unknown.length > 0) return propertiesDontExist(unknown);
        const pipeline = state.pipelines.find((p) => p.id === (body.properties.pipeline ?? "default"));
        if (!pipeline?.stages.some((s) => s.id === body.properties.dealstage)) {
          return error(400, `Stage "${body.properties.dealstage}" is not in the pipeline`, "VALIDATION_ERROR");
        }
        const contactIds: string[] = [];
        for (const association of body.associations ?? []) {
          const [type] = association.types;
          if (type?.associationCategory !== "HUBSPOT_DEFINED" || type.associationTypeId !== 3) {
            return error(400, "The fake associates deals to contacts only (HUBSPOT_DEFINED 3)", "VALIDATION_ERROR");
          }
          if (!state.contacts.has(String(association.to.id)))
            return error(400, "Contact not found", "VALIDATION_ERROR");
          contactIds.push(String(association.to.id));
        }
        const id = state.nextId();
        const properties = { ...body.properties, ...state.sourceOf(request) };
        state.deals.set(id, { properties, contactIds, lineItemIds: [] });
        return HttpResponse.json(record(id, properties), { status: 201 });
      }),
    ),
    http.post(
      `${b}/crm/v3/objects/deals/batch/read`,
      guard(async (request) => {
        // Reads by id see a deal at once, whether or not the search index has caught up.
        const { inputs, properties = [] } = (await request.json()) as {
          inputs: { id: string }[];
          properties?: string[];
        };
        const results = inputs.flatMap(({ id }) => {
          const deal = state.deals.get(id);
          return deal ? [record(id, Object.fromEntries(properties.map((p) => [p, deal.properties[p] ?? null])))] : [];
        });
        return HttpResponse.json({ status: "COMPLETE", results });
      }),
    ),
    http.get(
      `${b}/crm/v3/pipelines/deals`,
      guard(() => HttpResponse.json({ results: state.pipelines })),
    ),
  ];
}
