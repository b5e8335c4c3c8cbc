import { type Delivery, deliver, json, notSandboxed, problem, readJson, str } from "./control-http";
import type { Sandbox } from "./server";

/**
 * Delivers a Stripe event of the sandbox's account the way Stripe would: to
 * the account's own endpoints (restricted-key mode) or to the Worker's
 * Connect endpoint with `account` (App mode). Answers the last delivery.
 */
export async function deliverStripe(sandbox: Sandbox, event: { type: string } & Record<string, unknown>) {
  const account = sandbox.stripe.keyOwner(sandbox.secrets.stripeKey) ?? "";
  const connect = { url: "/webhooks/stripe", secret: sandbox.secrets.stripeWebhookSecret };
  let last: Delivery = { status: 0, ok: false, body: "no endpoint is subscribed to this event" };
  for (const d of await sandbox.stripe.webhooks.deliveries(event, account, connect))
    last = await deliver(sandbox, new URL(d.url, "http://worker").pathname, d.body, d.headers);
  return last;
}

/**
 * The control routes that reverse a paid invoice's payment as the business
 * (a refund) or the client's bank (a dispute) would in Stripe, then deliver
 * `charge.refunded`, `charge.dispute.created` or `charge.dispute.closed`
 * (docs/reversals.md). Undefined for any other route.
 */
export async function paymentControl(sandbox: Sandbox, request: Request, path: string): Promise<Response | undefined> {
  if (request.method !== "POST") return undefined;
  const refund = /^\/stripe\/invoices\/(in_\w+)\/refund$/.exec(path);
  const dispute = /^\/stripe\/invoices\/(in_\w+)\/dispute$/.exec(path);
  const close = /^\/stripe\/disputes\/(dp_\w+)\/close$/.exec(path);
  if (!refund && !dispute && !close) return undefined;
  const off = notSandboxed(sandbox, "stripe");
  if (off) return off;
  const { stripe } = sandbox;
  const body = await readJson(request);

  if (close) {
    const found = stripe.payments.disputes.get(close[1] ?? "");
    if (!found) return problem(404, "not_found", "No such dispute");
    const status = str(body.status);
    if (status !== "won" && status !== "lost") return problem(400, "invalid_request", "Status must be won or lost");
    if (found.status !== "needs_response") return problem(409, "not_open", `The dispute is already ${found.status}`);
    const closed = stripe.payments.closeDispute(found.id, status);
    const delivery = await deliverStripe(sandbox, stripe.event("charge.dispute.closed", closed));
    return json({ dispute: { id: closed.id, status: closed.status }, delivery });
  }

  const invoiceId = (refund ?? dispute)?.[1] ?? "";
  const invoice = stripe.invoices.get(invoiceId);
  if (!invoice) return problem(404, "not_found", "No such invoice");
  if (invoice.status !== "paid") return problem(409, "not_paid", `The invoice is ${invoice.status}, not paid`);
  const charge = stripe.payments.chargeOf(invoiceId);
  if (dispute) {
    const opened = stripe.payments.dispute(invoiceId);
    const delivery = await deliverStripe(sandbox, stripe.event("charge.dispute.created", opened));
    return json({ dispute: { id: opened.id, status: opened.status }, delivery }, 201);
  }
  const left = charge.amount - charge.amount_refunded;
  if (left <= 0) return problem(409, "refunded", "The payment is already refunded in full");
  const amount = body.amount === undefined ? left : Number(body.amount);
  if (!Number.isInteger(amount) || amount < 1 || amount > left)
    return problem(400, "invalid_request", `Amount must be a whole number of cents from 1 to ${left}`);
  const refunded = stripe.payments.refund(invoiceId, amount);
  const delivery = await deliverStripe(sandbox, stripe.event("charge.refunded", refunded));
  const view = { id: refunded.id, amount: refunded.amount, amountRefunded: refunded.amount_refunded };
  return json({ charge: { ...view, refunded: refunded.refunded }, delivery });
}
