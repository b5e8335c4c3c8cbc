import Stripe from "stripe";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IntegrationError, WebhookVerificationError } from "../../integrations/core/errors";
import { autoPage, callStripe, platformStripe } from "../../integrations/stripe/client";
import { formEncode, STRIPE_API_VERSION } from "../../integrations/stripe/http";
import { STRIPE_TOLERANCE_S, verifyStripeEvent } from "../../integrations/stripe/webhook-signature";

/**
 * The typed Stripe client's wire format (what stripe-node sent before it:
 * form encoding, headers, pagination) and the WebCrypto verifier against
 * stripe-node's own signer (the SDK stays the oracle in tests).
 */

const API = "https://api.stripe.test";
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const INVOICE = {
  id: "in_1",
  object: "invoice",
  status: "open",
  metadata: {},
  hosted_invoice_url: "https://invoice.stripe.test/i/in_1",
  number: "A-1",
  amount_due: 1800,
  currency: "usd",
  due_date: null,
  customer_name: null,
  customer_email: null,
};

/** Answers each outbound fetch in turn and keeps the requests. */
function answers(...responses: Response[]): Request[] {
  const seen: Request[] = [];
  const spy = vi.spyOn(globalThis, "fetch");
  for (const response of responses) {
    spy.mockImplementationOnce(async (input, init) => {
      seen.push(new Request(input, init));
      return response;
    });
  }
  return seen;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Stripe client: requests as stripe-node sent them", () => {
  it("form-encodes nested metadata, indexed arrays and booleans; leaves undefined out", () => {
    const body = formEncode({
      url: "https://app.test/webhooks/stripe?x=1&y=2",
      enabled_events: ["invoice.paid", "invoice.payment_failed"],
      automatic_tax: { enabled: true },
      metadata: { clientflow_step: "stripe.create-invoice", "a b": "ü (1)!" },
      name: undefined,
    });
    expect(body).toBe(
      "url=https%3A%2F%2Fapp.test%2Fwebhooks%2Fstripe%3Fx%3D1%26y%3D2" +
        "&enabled_events[0]=invoice.paid&enabled_events[1]=invoice.payment_failed" +
        "&automatic_tax[enabled]=true" +
        "&metadata[clientflow_step]=stripe.create-invoice&metadata[a%20b]=%C3%BC%20%281%29%21",
    );
    const params = new URLSearchParams(body);
    expect(params.get("metadata[a b]")).toBe("ü (1)!");
    expect(params.has("name")).toBe(false);
  });

  it("sends Bearer auth, the pinned Stripe-Version and the Idempotency-Key it is given, as a form POST", async () => {
    const seen = answers(json(200, { id: "cus_1", object: "customer" }));
    const stripe = platformStripe(API, "rk_test_key");
    await stripe.customers.create(
      { email: "ada@example.com", metadata: { hubspot_contact_id: "7" } },
      { idempotencyKey: "j1:stripe.customer:r0a1" },
    );
    const request = seen[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${API}/v1/customers`);
    expect(request?.headers.get("authorization")).toBe("Bearer rk_test_key");
    expect(request?.headers.get("stripe-version")).toBe(STRIPE_API_VERSION);
    expect(request?.headers.get("idempotency-key")).toBe("j1:stripe.customer:r0a1");
    expect(request?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(new TextDecoder().decode(await request?.arrayBuffer())).toBe(
      "email=ada%40example.com&metadata[hubspot_contact_id]=7",
    );
  });

  it("puts a GET's params in the query, sends no key it was not given, and escapes ids in the path", async () => {
    const seen = answers(json(200, { object: "list", data: [], has_more: false }), json(200, INVOICE));
    const stripe = platformStripe(API, "rk_test_key");
    await stripe.customers.list({ email: "ada+1@example.com", limit: 1 });
    await stripe.invoices.retrieve("in_1/../x");
    expect(seen[0]?.url).toBe(`${API}/v1/customers?email=ada%2B1%40example.com&limit=1`);
    expect(seen[0]?.headers.has("idempotency-key")).toBe(false);
    expect(seen[0]?.headers.has("content-type")).toBe(false);
    expect(seen[1]?.url).toBe(`${API}/v1/invoices/in_1%2F..%2Fx`);
  });

  it("pages through a list with starting_after while has_more", async () => {
    const seen = answers(
      json(200, { data: [INVOICE, { ...INVOICE, id: "in_2" }], has_more: true }),
      json(200, { data: [{ ...INVOICE, id: "in_3" }], has_more: false }),
    );
    const stripe = platformStripe(API, "rk_test_key");
    const ids: string[] = [];
    for await (const invoice of autoPage((after) =>
      stripe.invoices.list({ customer: "cus_1", limit: 2, starting_after: after }),
    ))
      ids.push(invoice.id);
    expect(ids).toEqual(["in_1", "in_2", "in_3"]);
    expect(new URL(seen[0]?.url ?? "").searchParams.has("starting_after")).toBe(false);
    expect(new URL(seen[1]?.url ?? "").searchParams.get("starting_after")).toBe("in_2");
  });

  it("a 2xx without a field we read is final; a network failure is a retryable status 0", async () => {
    answers(json(200, { ...INVOICE, amount_due: "1800" }));
    const stripe = platformStripe(API, "rk_test_key");
    const bad = await callStripe(() => stripe.invoices.retrieve("in_1")).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(IntegrationError);
    expect(bad).toMatchObject({ provider: "stripe", httpStatus: 200, retryable: false });
    expect((bad as Error).message).toContain("amount_due");

    vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError("fetch failed"));
    const down = await callStripe(() => stripe.invoices.retrieve("in_1")).catch((e: unknown) => e);
    expect(down).toMatchObject({ provider: "stripe", httpStatus: 0, retryable: true });
  });

  it("gives every request a timeout signal; a timeout is a retryable status 0 (the write may have landed)", async () => {
    let signal: AbortSignal | null | undefined;
    vi.spyOn(globalThis, "fetch").mockImplementationOnce(async (_input, init) => {
      signal = init?.signal;
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    });
    const stripe = platformStripe(API, "rk_test_key");
    const error = await callStripe(() =>
      stripe.invoices.finalizeInvoice("in_1", {}, { idempotencyKey: "j1:finalize:r0a1" }),
    ).catch((e: unknown) => e);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(error).toMatchObject({ provider: "stripe", httpStatus: 0, retryable: true, message: "stripe timed out" });
  });
});

describe("Stripe webhook verifier: WebCrypto, checked against stripe-node's signer", () => {
  const SECRET = "whsec_current";
  const PREVIOUS = "whsec_previous";
  const body = JSON.stringify({ id: "evt_1", object: "event", type: "invoice.paid", created: 1, data: { object: {} } });
  const sign = (secret: string, timestamp: number, payload = body) =>
    Stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret,
      timestamp,
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
  const now = 1_800_000_000_000;
  const t = now / 1000;
  const verdict = (signature: string, secrets = [SECRET], at = now) =>
    verifyStripeEvent({ body, signature, secrets, now: at }).then(
      (event) => `ok ${event.id}`,
      (e: unknown) => (e instanceof WebhookVerificationError ? e.reason : String(e)),
    );

  it("accepts the SDK's signature, and any of several v1 signatures (a secret being rolled)", async () => {
    const good = await sign(SECRET, t);
    expect(await verdict(good)).toBe("ok evt_1");
    const other = (await sign("whsec_other", t)).split(",")[1];
    const mine = good.split(",")[1];
    expect(await verdict(`t=${t},${other},${mine},v0=ignored`)).toBe("ok evt_1");
    expect(await verdict(`t=${t},${other}`)).toBe("signature mismatch or stale timestamp");
  });

  it("tries each secret of the rotation pair", async () => {
    expect(await verdict(await sign(PREVIOUS, t), [SECRET, PREVIOUS])).toBe("ok evt_1");
    expect(await verdict(await sign(PREVIOUS, t), [SECRET])).toBe("signature mismatch or stale timestamp");
  });

  it("holds the tolerance both ways, to the second", async () => {
    const stale = `${STRIPE_TOLERANCE_S + 1}`;
    expect(await verdict(await sign(SECRET, t - STRIPE_TOLERANCE_S))).toBe("ok evt_1");
    expect(await verdict(await sign(SECRET, t - Number(stale)))).toBe("signature mismatch or stale timestamp");
    expect(await verdict(await sign(SECRET, t + STRIPE_TOLERANCE_S))).toBe("ok evt_1");
    expect(await verdict(await sign(SECRET, t + STRIPE_TOLERANCE_S + 1))).toBe("timestamp in the future");
  });

  it("refuses a header without a timestamp or without a v1 signature, and a body other than the one signed", async () => {
    const good = await sign(SECRET, t);
    expect(await verdict(good.replace(/^t=\d+,/, ""))).toBe("signature has no timestamp");
    expect(await verdict(`t=${t},v0=${good.split("v1=")[1]}`)).toBe("signature mismatch or stale timestamp");
    const tampered = await verifyStripeEvent({ body: `${body} `, signature: good, secrets: [SECRET], now }).catch(
      (e: unknown) => e,
    );
    expect(tampered).toBeInstanceOf(WebhookVerificationError);
  });
});
