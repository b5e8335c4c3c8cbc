import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../sandbox/server";

describe("the sandbox Stripe's hosted invoice links", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const stripe = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${sandbox.origin}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${sandbox.secrets.stripeKey}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(form).toString(),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string; hosted_invoice_url?: string | null };
  };

  it("point at the Worker's sandbox invoice page, known only once the Worker runs", async () => {
    const customer = await stripe("/v1/customers", { email: "lin@client.test", name: "Lin Park" });
    const draft = await stripe("/v1/invoices", { customer: customer.id, collection_method: "send_invoice" });
    expect(draft.hosted_invoice_url).toBeNull();
    await stripe("/v1/invoiceitems", { invoice: draft.id, amount: "240000", currency: "usd" });
    // The Worker's port becomes known after the sandbox started (sandbox/app.ts sets it).
    sandbox.workerUrl = "http://127.0.0.1:8123";
    const open = await stripe(`/v1/invoices/${draft.id}/finalize`, {});
    expect(open.hosted_invoice_url).toBe(`http://127.0.0.1:8123/sandbox/invoices/${draft.id}`);

    const state = (await (await fetch(`${sandbox.origin}/control/state`)).json()) as {
      invoices: { id: string; hostedUrl: string | null }[];
    };
    expect(state.invoices.find((i) => i.id === draft.id)?.hostedUrl).toBe(open.hosted_invoice_url);
    // The invoice.paid event the sandbox delivers carries the same link.
    const event = sandbox.stripe.event("invoice.paid", sandbox.stripe.pay(draft.id));
    expect(JSON.parse(JSON.stringify(event)).data.object.hosted_invoice_url).toBe(open.hosted_invoice_url);
  });
});
