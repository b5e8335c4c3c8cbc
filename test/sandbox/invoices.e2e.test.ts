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

  it("control routes refund and dispute a paid invoice's payment, as Stripe's events would report them", async () => {
    const customer = await stripe("/v1/customers", { email: "ada@client.test", name: "Ada Lane" });
    const draft = await stripe("/v1/invoices", { customer: customer.id, collection_method: "send_invoice" });
    await stripe("/v1/invoiceitems", { invoice: draft.id, amount: "90000", currency: "usd" });
    await stripe(`/v1/invoices/${draft.id}/finalize`, {});
    const control = async (path: string, body: unknown = {}) => {
      const response = await fetch(`${sandbox.origin}/control${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // Not paid yet: nothing to reverse.
    expect((await control(`/stripe/invoices/${draft.id}/refund`)).status).toBe(409);
    await control(`/stripe/invoices/${draft.id}/pay`);

    expect((await control(`/stripe/invoices/${draft.id}/refund`, { amount: 0 })).status).toBe(400);
    const partial = await control(`/stripe/invoices/${draft.id}/refund`, { amount: 10000 });
    expect(partial.body.charge).toMatchObject({ amount: 90000, amountRefunded: 10000, refunded: false });
    // The delivery is reported as the Worker answered it (here: no Worker listening).
    expect(partial.body.delivery).toMatchObject({ ok: false });
    const opened = await control(`/stripe/invoices/${draft.id}/dispute`);
    expect(opened.status).toBe(201);
    const dispute = opened.body.dispute as { id: string; status: string };
    expect(dispute.status).toBe("needs_response");
    expect((await control(`/stripe/disputes/${dispute.id}/close`, { status: "maybe" })).status).toBe(400);
    expect((await control(`/stripe/disputes/${dispute.id}/close`, { status: "lost" })).body.dispute).toEqual({
      id: dispute.id,
      status: "lost",
    });
    const full = await control(`/stripe/invoices/${draft.id}/refund`);
    expect(full.body.charge).toMatchObject({ amountRefunded: 90000, refunded: true });
    expect((await control(`/stripe/invoices/${draft.id}/refund`)).status).toBe(409);

    // What the Worker reads to link them: the invoice payment of the charge's PaymentIntent.
    const charge = sandbox.stripe.payments.chargeOf(draft.id);
    const search = new URLSearchParams({
      "payment[type]": "payment_intent",
      "payment[payment_intent]": charge.payment_intent,
    });
    const listed = await fetch(`${sandbox.origin}/v1/invoice_payments?${search}`, {
      headers: { authorization: `Bearer ${sandbox.secrets.stripeKey}` },
    });
    expect(((await listed.json()) as { data: { invoice: string }[] }).data.map((p) => p.invoice)).toEqual([draft.id]);
  });
});
