import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { stripe } from "../../integrations/stripe";
import { HANDLED_STRIPE_EVENTS } from "../../integrations/stripe/webhook-endpoints";
import { reversalEffects } from "../../src/engine/reversal-rules";
import { defaultProcessTemplate } from "../../src/engine/templates";
import { parseStoredEvent, serializeEvent } from "../../src/intake/normalized";
import { queueStripeEvent } from "../../src/intake/stripe-receipt";
import { moneyReversed } from "../../src/runtime/protocol";

/** A verified event as Stripe delivers it: the fields normalization reads, the rest of the envelope as sent. */
function stripeEvent(type: string, object: Record<string, unknown>): Stripe.Event {
  return {
    id: `evt_${type.replaceAll(".", "_")}`,
    object: "event",
    type,
    api_version: "2026-10-28.endive",
    created: 1_795_000_000,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  } as unknown as Stripe.Event;
}

const charge = (refunded: boolean) => ({
  id: "ch_rev1",
  object: "charge",
  amount: 240000,
  amount_refunded: refunded ? 240000 : 40000,
  refunded,
  payment_intent: "pi_rev1",
});
const dispute = (status: string) => ({
  id: "dp_rev1",
  object: "dispute",
  charge: "ch_rev1",
  payment_intent: { id: "pi_rev1", object: "payment_intent" },
  status,
  reason: "fraudulent",
});
const invoice = (status: string) => ({
  id: "in_rev1",
  object: "invoice",
  status,
  metadata: { clientflow_journey_id: "j_rev_hint" },
});

/** Each reversal event, what it normalizes to, and the default template's answer. */
const CASES = [
  {
    event: stripeEvent("charge.refunded", charge(true)),
    normalized: { kind: "refund", state: "opened", objectId: "ch_rev1", invoiceId: null, paymentIntentId: "pi_rev1" },
    partial: false,
    status: "Payment reversed",
  },
  {
    event: stripeEvent("charge.dispute.created", dispute("needs_response")),
    normalized: { kind: "dispute", state: "opened", objectId: "dp_rev1", invoiceId: null, paymentIntentId: "pi_rev1" },
    status: "Payment reversed",
  },
  {
    event: stripeEvent("charge.dispute.closed", dispute("lost")),
    normalized: { kind: "dispute_lost", state: "opened", objectId: "dp_rev1", paymentIntentId: "pi_rev1" },
    status: "Payment reversed",
  },
  {
    event: stripeEvent("invoice.voided", invoice("void")),
    normalized: { kind: "voided", state: "opened", invoiceId: "in_rev1", journeyId: "j_rev_hint" },
    status: "Payment problem",
  },
  {
    event: stripeEvent("invoice.marked_uncollectible", invoice("uncollectible")),
    normalized: { kind: "uncollectible", state: "opened", invoiceId: "in_rev1", journeyId: "j_rev_hint" },
    status: "Payment problem",
  },
] as const;

describe("Stripe money reversals: events → normalized → the template's rules", () => {
  it("subscribes the Stripe endpoint (and setup:providers, which reads the integration) to every reversal event", () => {
    expect(stripe.webhook?.events).toEqual([...HANDLED_STRIPE_EVENTS]);
    for (const type of ["charge.refunded", "charge.dispute.created", "charge.dispute.closed", "invoice.voided"])
      expect(HANDLED_STRIPE_EVENTS).toContain(type);
    expect(HANDLED_STRIPE_EVENTS).toContain("invoice.marked_uncollectible");
    // invoice.payment_failed stays subscribed: a failed instalment is told apart in dispatch.
    expect(HANDLED_STRIPE_EVENTS).toContain("invoice.payment_failed");
  });

  for (const c of CASES) {
    it(`${c.event.type}: normalized to ${c.normalized.kind}, kept for replay, answered by the default rules`, () => {
      const queued = queueStripeEvent(c.event, { mode: "connect" });
      expect(queued.event).toMatchObject({ type: "stripe.reversal", ...c.normalized });
      // Stored and replayed through the same schema: the stored text parses back to the same event.
      expect(parseStoredEvent(serializeEvent(queued.event))).toEqual(queued.event);
      // Ids only: no amount, no customer, no body in what is stored.
      expect(serializeEvent(queued.event)).not.toMatch(/fraudulent|240000|amount/);
      expect(queued.failedInvoice).toBeUndefined();

      const event = queued.event;
      if (event.type !== "stripe.reversal") throw new Error("not a reversal");
      const effects = reversalEffects(defaultProcessTemplate().reversals, event.kind, { partial: event.partial });
      expect(effects).toEqual({
        kind: c.normalized.kind,
        stopReminders: true,
        flagCard: expect.stringContaining("check before going on"),
        dealStatus: c.status,
        dealStage: null,
        tellOwner: true,
        hold: true,
      });
    });
  }

  it("a partial refund is a refund marked partial, which the default rules leave alone", () => {
    const queued = queueStripeEvent(stripeEvent("charge.refunded", charge(false)), { mode: "connect" });
    expect(queued.event).toMatchObject({ type: "stripe.reversal", kind: "refund", partial: true });
    expect(reversalEffects(defaultProcessTemplate().reversals, "refund", { partial: true })).toBeNull();
  });

  it("a dispute closed won (or an inquiry closed) resolves the dispute", () => {
    for (const status of ["won", "warning_closed"]) {
      const queued = queueStripeEvent(stripeEvent("charge.dispute.closed", dispute(status)), { mode: "connect" });
      expect(queued.event, status).toMatchObject({ type: "stripe.reversal", kind: "dispute", state: "resolved" });
    }
  });

  it("a failed instalment is answered by the default rules (dispatch names the kind)", () => {
    expect(reversalEffects(defaultProcessTemplate().reversals, "instalment_failed")).toMatchObject({
      kind: "instalment_failed",
      hold: true,
      dealStatus: "Payment problem",
    });
  });

  it("the journey signal carries ids and the kind only", () => {
    const payload = { kind: "refund", state: "opened", invoiceId: "in_rev1", eventId: "evt_1" } as const;
    expect(moneyReversed.schema.parse(payload)).toEqual(payload);
    expect(moneyReversed.schema.safeParse({ ...payload, kind: "chargeback" }).success).toBe(false);
  });

  it("other events stay stripe.other; the payment events keep their own types", () => {
    expect(queueStripeEvent(stripeEvent("charge.succeeded", charge(false)), { mode: "connect" }).event).toEqual({
      type: "stripe.other",
      objectId: "ch_rev1",
    });
    const failed = stripeEvent("invoice.payment_failed", invoice("open"));
    expect(queueStripeEvent(failed, { mode: "connect" }).event.type).toBe("stripe.invoice.payment_failed");
  });
});
