import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { contractGate, takeContractViolations } from "../../emulators/contracts/gate";
import { type ContractRequest, violations } from "../../emulators/contracts/validate";
import { autoPage, platformStripe } from "../../integrations/stripe/client";
import { STRIPE_KEY, useWorld } from "../world";

/** A request as the emulators record it: a form body is its fields, a JSON body the parsed object. */
function request(
  method: string,
  path: string,
  options: { query?: string; json?: object; form?: Record<string, string>; base?: "api" | "oauth" } = {},
): ContractRequest {
  const type = options.json ? "application/json" : options.form ? "application/x-www-form-urlencoded" : undefined;
  return {
    method,
    path,
    search: new URLSearchParams(options.query ?? ""),
    headers: type ? { "content-type": type } : {},
    body: options.json ?? options.form ?? null,
    base: options.base,
  };
}

describe("Stripe contract (spec3.json operations)", () => {
  it("passes a form-encoded invoice with bracket-notation metadata and a paged list", () => {
    const form = { customer: "cus_1", currency: "usd", "metadata[clientflow_journey]": "j1", auto_advance: "false" };
    expect(violations("stripe", request("POST", "/v1/invoices", { form }))).toEqual([]);
    expect(violations("stripe", request("GET", "/v1/invoices", { query: "customer=cus_1&limit=100" }))).toEqual([]);
    expect(violations("stripe", request("POST", "/v1/invoices/in_1/finalize"))).toEqual([]);
  });
  it("names an unknown path, an unknown param, a missing required one and a JSON body", () => {
    expect(violations("stripe", request("GET", "/v1/invoice"))).toEqual([
      "stripe GET /v1/invoice: no such operation in the stripe contract",
    ]);
    expect(violations("stripe", request("GET", "/v1/customers", { query: "mail=a@b.c" }))[0]).toContain(
      'unknown query parameter "mail" (spec3.json GetCustomers)',
    );
    expect(violations("stripe", request("POST", "/v1/oauth/token", { form: { code: "ac_1" } }))[0]).toContain(
      'stripe POST /v1/oauth/token: missing required body parameter "grant_type"',
    );
    expect(violations("stripe", request("POST", "/v1/customers", { json: { email: "a@b.c" } }))[0]).toContain(
      'body must be application/x-www-form-urlencoded, was "application/json"',
    );
  });
});

describe("HubSpot contract (public API spec collection)", () => {
  it("passes a deal read with properties and associations, and a search", () => {
    const read = request("GET", "/crm/v3/objects/deals/123", { query: "properties=amount&associations=contacts" });
    expect(violations("hubspot", read)).toEqual([]);
    const search = { filterGroups: [], properties: ["email"], limit: 1 };
    expect(violations("hubspot", request("POST", "/crm/v3/objects/contacts/search", { json: search }))).toEqual([]);
  });
  it("names an unknown path, an unknown param, a missing required one and a JSON body to the token endpoint", () => {
    expect(violations("hubspot", request("GET", "/crm/v4/objects/deals/1"))[0]).toContain("no such operation");
    expect(violations("hubspot", request("GET", "/crm/v3/objects/deals/1", { query: "props=a" }))[0]).toContain(
      'unknown query parameter "props"',
    );
    expect(violations("hubspot", request("PATCH", "/crm/v3/objects/deals/1", { json: {} }))[0]).toContain(
      'missing required body parameter "properties"',
    );
    const json = { grant_type: "refresh_token", refresh_token: "r" };
    expect(violations("hubspot", request("POST", "/oauth/2026-03/token", { json }))[0]).toContain(
      "body must be application/x-www-form-urlencoded",
    );
  });
});

describe("Notion contract (the SDK's endpoint definitions)", () => {
  it("passes a page create and a block-children list", () => {
    const page = { parent: { data_source_id: "d" }, properties: {}, children: [] };
    expect(violations("notion", request("POST", "/v1/pages", { json: page }))).toEqual([]);
    const list = request("GET", "/v1/blocks/b1/children", { query: "page_size=100&start_cursor=x" });
    expect(violations("notion", list)).toEqual([]);
  });
  it("names an unknown path, an unknown param, a missing required one and a form body", () => {
    expect(violations("notion", request("POST", "/v1/databases/d/query", { json: {} }))[0]).toContain(
      "no such operation",
    );
    expect(violations("notion", request("PATCH", "/v1/pages/p1", { json: { archive: true } }))[0]).toContain(
      'unknown body parameter "archive" (@notionhq/client api-endpoints updatePage)',
    );
    const append = request("PATCH", "/v1/blocks/b1/children", { json: { after: "b0" } });
    expect(violations("notion", append)[0]).toContain('missing required body parameter "children"');
    expect(violations("notion", request("POST", "/v1/search", { form: { query: "x" } }))[0]).toContain(
      'body must be application/json, was "application/x-www-form-urlencoded"',
    );
  });
});

describe("Google contract (API reference pages)", () => {
  it("passes an event insert with sendUpdates, a Gmail send and a refresh on the OAuth host", () => {
    const event = { id: "abc12", summary: "Kickoff", start: { dateTime: "x" }, end: { dateTime: "y" } };
    const insert = request("POST", "/calendar/v3/calendars/primary/events", { query: "sendUpdates=all", json: event });
    expect(violations("google", insert)).toEqual([]);
    expect(violations("google", request("POST", "/gmail/v1/users/me/messages/send", { json: { raw: "eA" } }))).toEqual(
      [],
    );
    const refresh = { grant_type: "refresh_token", refresh_token: "r", client_id: "c", client_secret: "s" };
    expect(violations("google", request("POST", "/token", { form: refresh, base: "oauth" }))).toEqual([]);
  });
  it("names an unknown path, an unknown param, a missing required one and a JSON body to the token endpoint", () => {
    expect(violations("google", request("POST", "/token", { form: { grant_type: "x" } }))[0]).toContain(
      "no such operation",
    );
    const insert = request("POST", "/calendar/v3/calendars/primary/events", {
      query: "sendNotification=true",
      json: { start: {}, end: {} },
    });
    expect(violations("google", insert)[0]).toContain('unknown query parameter "sendNotification"');
    expect(violations("google", request("POST", "/gmail/v1/users/me/messages/send", { json: {} }))[0]).toContain(
      'missing required body parameter "raw"',
    );
    const json = request("POST", "/revoke", { json: { token: "t" }, base: "oauth" });
    expect(violations("google", json)[0]).toContain("body must be application/x-www-form-urlencoded");
  });
});

describe("the emulators' contract gate", () => {
  const world = useWorld();
  it("answers a request outside the contract 400 naming the violation, and collects it", async () => {
    const response = await fetch(`${world.stripe.base}/v1/customers?mail=a@example.com`, {
      headers: { authorization: "Bearer sk_test_clientflow" },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; violations: string[] } };
    expect(body.error.type).toBe("contract_violation");
    expect(body.error.violations[0]).toContain('unknown query parameter "mail"');
    expect(takeContractViolations()).toEqual(body.error.violations);
  });
  it("lets a conforming request through to the emulator", async () => {
    const response = await fetch(`${world.stripe.base}/v1/customers?email=a@example.com&limit=1`, {
      headers: { authorization: "Bearer sk_test_clientflow" },
    });
    expect(response.status).toBe(200);
    expect(world.stripe.requests.matching("GET", "/v1/customers")).toHaveLength(1);
  });
  it("on one origin for Google's API and OAuth bases, checks /token as the OAuth endpoint", async () => {
    const origin = "https://google-one-origin.test";
    world.network.use(
      contractGate("google", [
        { base: origin, paths: ["/"] },
        { base: origin, paths: ["/token"], name: "oauth" },
      ]),
      http.post(`${origin}/token`, () => HttpResponse.json({ access_token: "t" })),
    );
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const ok = await fetch(`${origin}/token`, { method: "POST", headers: form, body: "grant_type=refresh_token" });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${origin}/tokens`, { method: "POST", headers: form, body: "grant_type=x" });
    expect(wrong.status).toBe(400);
    expect(takeContractViolations()).toEqual(["google POST /tokens: no such operation in the google contract"]);
  });
});

describe("The Stripe client's requests, as Clientflow makes them, are within the Stripe contract", () => {
  const world = useWorld();
  it("creates, finalizes, retrieves and lists an invoice (the gate would answer 400 otherwise)", async () => {
    const stripe = platformStripe(world.stripe.base, STRIPE_KEY);
    const customer = await stripe.customers.create({ email: "ada@example.com", metadata: { hubspot_contact_id: "1" } });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      currency: "usd",
      collection_method: "send_invoice",
      days_until_due: 14,
      auto_advance: false,
      metadata: { clientflow_journey: "j1" },
    });
    const id = draft.id ?? "";
    await stripe.invoiceItems.create({ customer: customer.id, invoice: id, amount: 1800, currency: "usd" });
    await stripe.invoices.finalizeInvoice(id, {});
    expect((await stripe.invoices.retrieve(id)).status).toBe("open");
    const listed = [];
    for await (const invoice of autoPage((after) =>
      stripe.invoices.list({ customer: customer.id, limit: 100, starting_after: after }),
    ))
      listed.push(invoice.id);
    expect(listed).toEqual([id]);
    await expect(stripe.invoices.retrieve("in_missing")).rejects.toMatchObject({ status: 404 });
  });
});
