import type { Operation } from "./types";

const CRM = "PublicApiSpecs/CRM";
/** Read options of HubSpot's CRM object reads (getById). */
const read = {
  properties: false,
  propertiesWithHistory: false,
  associations: false,
  archived: false,
  idProperty: false,
} as const;
/** The body of a CRM search (doSearch). */
const search = {
  filterGroups: false,
  properties: false,
  limit: false,
  after: false,
  sorts: false,
  query: false,
} as const;
/**
 * The OAuth token endpoint's form fields (authorization code and refresh
 * grants). The spec marks none required (OAuth itself needs grant_type), and
 * the spec is the oracle: the contract is never stricter than it.
 */
const token = {
  grant_type: false,
  client_id: false,
  client_secret: false,
  code: false,
  code_verifier: false,
  redirect_uri: false,
  refresh_token: false,
} as const;

/**
 * The HubSpot operations Clientflow calls (JSON bodies; OAuth form-encoded).
 * Each names the spec file and operationId in HubSpot's public API spec
 * collection (github:HubSpot/HubSpot-public-api-spec-collection). The CRM specs name deals by object type id `0-3`; HubSpot
 * accepts the name `deals` in its place (the cross-check maps one to the other).
 */
export const hubspotContract: readonly Operation[] = [
  {
    method: "POST",
    path: "/oauth/2026-03/token",
    body: "form",
    fields: token,
    source: "PublicApiSpecs/Auth/Oauth/Rollouts/279897/2026-03/oauth.json post-/oauth/2026-03/token",
  },
  {
    method: "POST",
    path: "/oauth/2026-03/token/revoke",
    body: "form",
    fields: { token: false, token_type_hint: false, client_id: false, client_secret: false },
    source: "PublicApiSpecs/Auth/Oauth/Rollouts/279897/2026-03/oauth.json post-/oauth/2026-03/token/revoke",
  },
  {
    method: "GET",
    path: "/crm/v3/objects/deals/{dealId}",
    query: read,
    body: "none",
    source: `${CRM}/Deals/Rollouts/424/v3/deals.json get-/crm/v3/objects/0-3/{dealId}_getById`,
  },
  {
    method: "PATCH",
    path: "/crm/v3/objects/deals/{dealId}",
    query: { idProperty: false },
    body: "json",
    fields: { properties: true },
    source: `${CRM}/Deals/Rollouts/424/v3/deals.json patch-/crm/v3/objects/0-3/{dealId}_update`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/deals",
    body: "json",
    fields: { properties: true, associations: false },
    source: `${CRM}/Deals/Rollouts/424/v3/deals.json post-/crm/v3/objects/0-3_create`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/deals/search",
    body: "json",
    fields: search,
    source: `${CRM}/Deals/Rollouts/424/v3/deals.json post-/crm/v3/objects/0-3/search_doSearch`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/deals/batch/read",
    query: { archived: false },
    body: "json",
    fields: { inputs: true, properties: true, propertiesWithHistory: true, idProperty: false },
    source: `${CRM}/Deals/Rollouts/424/v3/deals.json post-/crm/v3/objects/0-3/batch/read_read`,
  },
  {
    method: "GET",
    path: "/crm/v3/objects/contacts/{contactId}",
    query: read,
    body: "none",
    source: `${CRM}/Contacts/Rollouts/424/v3/contacts.json get-/crm/v3/objects/contacts/{contactId}_getById`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/contacts",
    body: "json",
    fields: { properties: true, associations: false },
    source: `${CRM}/Contacts/Rollouts/424/v3/contacts.json post-/crm/v3/objects/contacts_create`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/contacts/search",
    body: "json",
    fields: search,
    source: `${CRM}/Contacts/Rollouts/424/v3/contacts.json post-/crm/v3/objects/contacts/search_doSearch`,
  },
  {
    method: "POST",
    path: "/crm/v3/objects/line_items/batch/read",
    query: { archived: false },
    body: "json",
    fields: { inputs: true, properties: true, propertiesWithHistory: true, idProperty: false },
    source: `${CRM}/Line Items/Rollouts/424/v3/lineItems.json post-/crm/v3/objects/line_items/batch/read_read`,
  },
  {
    method: "GET",
    path: "/crm/v3/pipelines/{objectType}",
    body: "none",
    source: `${CRM}/Pipelines/Rollouts/145896/v3/pipelines.json get-/crm/v3/pipelines/{objectType}_getAll`,
  },
  {
    method: "GET",
    path: "/crm/v3/properties/{objectType}/{propertyName}",
    query: { archived: false, properties: false, dataSensitivity: false, locale: false },
    body: "none",
    source: `${CRM}/Properties/Rollouts/145899/v3/properties.json get-/crm/v3/properties/{objectType}/{propertyName}_getByName`,
  },
  {
    method: "POST",
    path: "/crm/v3/properties/{objectType}",
    body: "json",
    fields: {
      name: true,
      label: true,
      type: true,
      fieldType: true,
      groupName: true,
      description: false,
      options: false,
      displayOrder: false,
      hasUniqueValue: false,
      hidden: false,
      formField: false,
    },
    source: `${CRM}/Properties/Rollouts/145899/v3/properties.json post-/crm/v3/properties/{objectType}_create`,
  },
];
