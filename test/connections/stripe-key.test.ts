import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConnection } from "../../src/store/connections";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { captureLogs, count, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();

async function owner(sub: string) {
  const session = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  return { ...session, workspaceId };
}

/** The key form's POST as a program sends it (`Accept: application/json`: refusals in the API's JSON shape). */
async function pasteKey(sub: string, key: string) {
  const o = await owner(sub);
  const response = await o.browser.fetch("/connections/stripe/key", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ key, _csrf: o.csrf }).toString(),
  });
  const body = await response.text();
  return { ...o, response, body };
}

/** Nothing of a refused key is stored or echoed. */
async function expectNothingStored(workspaceId: string, key: string, body: string) {
  expect(await count(env, "connections", "workspace_id = ?", workspaceId)).toBe(0);
  expect(body).not.toContain(key);
  expect(logs.join("\n")).not.toContain(key);
}

describe("connecting Stripe with a pasted key", () => {
  it("accepts a restricted key with the needed permissions, checked without GET /v1/account, and stores it sealed", async () => {
    const key = "rk_test_51Restricted0000key";
    world.stripe.restrictedKey(key, "acct_business0002");
    const { response, workspaceId } = await pasteKey("owner-rk-ok", key);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/connections?connected=stripe");

    const checks = world.stripe.requests.all.filter((r) => r.headers.authorization === `Bearer ${key}`);
    expect(checks.map((r) => `${r.method} ${r.path}?${r.search}`)).toEqual([
      "GET /v1/customers?limit=1",
      "GET /v1/invoices?limit=1",
      "GET /v1/invoiceitems?limit=1",
      "GET /v1/webhook_endpoints?limit=1",
      "GET /v1/invoice_payments?limit=1",
      // The account's own webhook endpoint (restricted-key mode).
      "POST /v1/webhook_endpoints?",
    ]);
    // A restricted key cannot tell its account id: the connection is stored without one.
    expect(await getConnection(env.DB, env, workspaceId, "stripe")).toMatchObject({
      externalAccountId: null,
      source: "key",
      status: "active",
      config: { livemode: false },
      credentials: { accessToken: key },
    });
    const row = await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = ?")
      .bind(workspaceId)
      .first<{ credentials: string }>();
    expect(row?.credentials).toBeTruthy();
    expect(row?.credentials).not.toContain(key);
  });

  it("the emulator answers GET /v1/account with Stripe's 403 for a restricted key", async () => {
    const key = "rk_test_51AccountRead000key";
    world.stripe.restrictedKey(key, "acct_business0003");
    const response = await fetch(`${world.stripe.base}/v1/account`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("does not have the required permissions");
    expect(body.error.message).not.toContain(key);
  });

  it.each(["sk_test_51FullSecret00000key", "sk_live_51FullSecret00000key"])(
    "refuses the full secret key %s with a 400 naming the permissions to give a restricted key",
    async (key) => {
      world.stripe.restrictedKeys.clear();
      const before = world.stripe.requests.all.length;
      const { response, body, workspaceId } = await pasteKey(`owner-${key.slice(0, 7)}`, key);
      expect(response.status).toBe(400);
      const { message } = JSON.parse(body) as { message: string };
      expect(message).toContain("full secret key");
      expect(message).toContain(
        "restricted key with Customers: Write, Invoices: Write, Invoice items: Write, Webhook Endpoints: Write, Invoice payments: Read",
      );
      expect(world.stripe.requests.all.length).toBe(before);
      await expectNothingStored(workspaceId, key, body);
    },
  );

  it("refuses a malformed key with a 400", async () => {
    const { response, body, workspaceId } = await pasteKey("owner-pk", "pk_test_publishable");
    expect(response.status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ error: "invalid_request" });
    await expectNothingStored(workspaceId, "pk_test_publishable", body);
  });

  it("refuses a key Stripe does not accept (401) with a clear message", async () => {
    const key = "rk_test_51Unknown000000key";
    const { response, body, workspaceId } = await pasteKey("owner-rk-401", key);
    expect(response.status).toBe(422);
    expect(JSON.parse(body)).toMatchObject({
      error: "stripe_key_invalid",
      message: expect.stringContaining("Stripe did not accept that key"),
    });
    await expectNothingStored(workspaceId, key, body);
  });

  it("refuses a key without a needed permission (403), naming it", async () => {
    const key = "rk_test_51NoInvoiceItems0key";
    world.stripe.restrictedKey(key, "acct_business0004", ["customers", "invoices"]);
    const { response, body, workspaceId } = await pasteKey("owner-rk-403", key);
    expect(response.status).toBe(422);
    const { error, message } = JSON.parse(body) as { error: string; message: string };
    expect(error).toBe("stripe_key_missing_permission");
    expect(message).toContain("lacks the Invoice items permission (Stripe: rak_invoiceitem_read)");
    expect(message).toContain(
      "Customers: Write, Invoices: Write, Invoice items: Write, Webhook Endpoints: Write, Invoice payments: Read",
    );
    await expectNothingStored(workspaceId, key, body);
  });
  it("refuses a key without Invoice payments: Read (a refund or dispute could not be linked), naming it", async () => {
    const key = "rk_test_51NoInvoicePays0key";
    world.stripe.restrictedKey(key, "acct_business0007", undefined, []);
    const { response, body, workspaceId } = await pasteKey("owner-rk-403-pay", key);
    expect(response.status).toBe(422);
    const { message } = JSON.parse(body) as { message: string };
    expect(message).toContain("lacks the Invoice payments permission (Stripe: rak_invoice_payment_read)");
    await expectNothingStored(workspaceId, key, body);
  });

  it("answers a person's form post with an HTML page that says why, and echoes no key", async () => {
    const key = "rk_test_51PageRefused00key";
    const o = await owner("owner-rk-page");
    const response = await o.browser.post("/connections/stripe/key", { key }, o.csrf);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("Stripe did not accept that key");
    expect(html).not.toContain(key);
  });
});
