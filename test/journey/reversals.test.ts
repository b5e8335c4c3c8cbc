import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { presetTemplate } from "../../src/engine/presets";
import { dispatchReversal } from "../../src/intake/dispatch-reversal";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listReversals, openReversal } from "../../src/store/journey-reversals";
import { findStep } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import {
  connectWorkspace,
  dealStageEvent,
  intakeOutcomes,
  postHubspot,
  postStripe,
  SENDER_EMAIL,
  stripeAccountOf,
  useWorld,
  watchJourney,
} from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

/** A won deal's journey on `template`, run until its invoice is out; the invoice as the Stripe emulator holds it. */
async function journeyWithInvoice(ws: string, portal: string, deal: string, template: object, hubspotEventId: number) {
  await connectWorkspace(env, ws, portal, { template });
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  const instance = await watchJourney(journeyId);
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", hubspotEventId)]));
  await instance.waitForStepResult({ name: "onboarding.update-deal" });
  const [invoice] = sideEffects(world, journeyId, email).invoices;
  if (!invoice) throw new Error("invoice expected");
  return { journeyId, instance, invoice };
}

const withRules = { ...presetTemplate("onboarding"), reversals: DEFAULT_TEMPLATE.reversals };

describe("money reversals reach the journey (invoice events)", () => {
  it("an invoice voided or marked uncollectible in Stripe: recorded, on the timeline with the rules' answer, signalled", async () => {
    const { journeyId, instance, invoice } = await journeyWithInvoice("ws-rev1", "4410071", "8711", withRules, 99101);
    await using _ = instance;

    await using tasks = await introspectWorkflow(env.TASKS);
    await tasks.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    const voided = world.stripe.event("invoice.voided", { ...invoice, status: "void" });
    expect(await intakeOutcomes(await postStripe(voided))).toEqual(["signalled"]);
    // The rule tells the owner, from their Gmail, what happened and what Clientflow changed.
    const [notice] = await tasks.get();
    await notice?.waitForStatus("complete");
    const toOwner = world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL));
    expect(toOwner.map((m) => m.subject)).toEqual([expect.stringMatching(`^Money reversed: invoice ${invoice.id} `)]);
    expect(toOwner[0]?.text).toContain("was voided in Stripe");
    expect(toOwner[0]?.text).toContain("payment reminders stopped; the next phase waits until this is resolved");
    // The deal says so in HubSpot (the rule's Clientflow status).
    expect(world.hubspot.deals.get("8711")?.properties.clientflow_status).toBe("Payment problem");
    // A redelivery is deduplicated at intake: no second row.
    expect(await intakeOutcomes(await postStripe(voided))).toEqual(["duplicate"]);

    const row = await findStep(env.DB, journeyId, `reversal.${voided.id}`);
    expect(row?.label).toBe("Stripe: invoice voided");
    expect(row?.status).toBe("succeeded");
    expect(row?.result).toMatchObject({
      kind: "voided",
      state: "opened",
      invoiceId: invoice.id,
      rules: { stopReminders: true, dealStatus: "Payment problem", tellOwner: true, hold: true },
    });

    const uncollectible = world.stripe.event("invoice.marked_uncollectible", { ...invoice, status: "uncollectible" });
    expect(await intakeOutcomes(await postStripe(uncollectible))).toEqual(["signalled"]);
    const reversals = await listReversals(env.DB, journeyId);
    expect(reversals.map((r) => [r.eventId, r.kind, r.invoiceId, r.resolvedAt])).toEqual([
      [voided.id, "voided", invoice.id, null],
      [uncollectible.id, "uncollectible", invoice.id, null],
    ]);

    // Only the journey's own invoice: one it did not create, naming it in metadata, is recorded as another's.
    const stranger = world.stripe.event("invoice.voided", {
      ...invoice,
      id: "in_1RevNoJourneyMadeIt",
      metadata: { ...invoice.metadata, clientflow_journey_id: journeyId },
    });
    expect(await intakeOutcomes(await postStripe(stranger))).toEqual(["other_invoice"]);
    // A refund names no invoice (a Charge no longer does): its PaymentIntent paid no invoice of ours, so it is ignored
    // (test/journey/reversal-charges.test.ts links the journey's own).
    const refund = world.stripe.event("charge.refunded", {
      id: "ch_1Rev",
      object: "charge",
      refunded: true,
      payment_intent: "pi_1Rev",
    });
    expect(await intakeOutcomes(await postStripe(refund, { account: stripeAccountOf("ws-rev1") }))).toEqual([
      "ignored",
    ]);
    expect(await listReversals(env.DB, journeyId)).toHaveLength(2);
  });

  it("a journey pinned to a template without reversal rules: the timeline shows the event, nothing follows", async () => {
    const onboarding = presetTemplate("onboarding");
    const { journeyId, instance, invoice } = await journeyWithInvoice("ws-rev2", "4410072", "8712", onboarding, 99102);
    await using _ = instance;
    const event = world.stripe.event("invoice.marked_uncollectible", { ...invoice, status: "uncollectible" });
    expect(await intakeOutcomes(await postStripe(event))).toEqual(["no_rule"]);
    const row = await findStep(env.DB, journeyId, `reversal.${event.id}`);
    expect(row?.result).toMatchObject({ kind: "uncollectible", rules: null });
    // Nothing for a phase hold to wait on.
    expect(await listReversals(env.DB, journeyId)).toEqual([]);
  });

  it("a reversal whose rule holds stops the next phase until it is resolved; a paid uncollectible resolves itself", async () => {
    const ws = "ws-rev3";
    const { journeyId, instance, invoice } = await journeyWithInvoice(ws, "4410074", "8713", withRules, 99103);
    await using _ = instance;
    // A dispute on the invoice's payment, as intake records it (test/journey/reversal-charges.test.ts).
    const dispute = { workspaceId: ws, journeyId, kind: "dispute", objectId: "dp_1Rev3", invoiceId: invoice.id };
    expect(await openReversal(env.DB, { ...dispute, eventId: "evt_rev3_dispute" })).toBe(true);
    // Marked uncollectible, then paid after all: the payment resolves the mark at intake.
    const mark = world.stripe.event("invoice.marked_uncollectible", { ...invoice, status: "uncollectible" });
    expect(await intakeOutcomes(await postStripe(mark))).toEqual(["signalled"]);
    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["signalled"]);
    expect((await listReversals(env.DB, journeyId)).map((r) => [r.kind, r.resolvedAt === null])).toEqual([
      ["dispute", true],
      ["uncollectible", false],
    ]);
    expect((await findStep(env.DB, journeyId, `reversal.${paid.id}`))?.label).toBe(
      "Stripe: invoice marked uncollectible: resolved",
    );

    // Fulfillment waits on the open dispute.
    await instance.waitForStepResult({ name: "phase.fulfillment.reversal-hold.check-0" });
    const held = await findStep(env.DB, journeyId, "phase.fulfillment.reversal-hold");
    expect(held).toMatchObject({ status: "waiting", waitingFor: "stripe.reversal", label: "Held: money reversed" });
    expect(await findStep(env.DB, journeyId, "fulfillment.start-work")).toBeNull();

    // The dispute is won: resolved at intake, the journey woken, fulfillment runs.
    const journey = await findJourney(env.DB, journeyId);
    if (!journey) throw new Error("journey expected");
    const won = { kind: "dispute", state: "resolved", objectId: "dp_1Rev3", invoiceId: invoice.id } as const;
    const ctx = { workspaceId: ws, eventId: "evt_rev3_won", mode: "delivery" } as const;
    expect((await dispatchReversal(env, ctx, journey, won)).outcome).toBe("signalled");
    await instance.waitForStatus("complete");
    expect((await findStep(env.DB, journeyId, "phase.fulfillment.reversal-hold"))?.status).toBe("succeeded");
    expect((await findStep(env.DB, journeyId, "fulfillment.start-work"))?.status).toBe("succeeded");
  });

  it("an open reversal whose rule stops reminders: the reminder is not sent, its row says why", async () => {
    const [ws, portal, deal] = ["ws-rev4", "4410075", "8714"];
    const template = { ...presetTemplate("onboarding"), reversals: [{ on: ["voided"], stopReminders: true }] };
    await connectWorkspace(env, ws, portal, { template });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    // Open before the first reminder is due (as intake records an invoice.voided): the reminder's check finds it.
    const voided = { workspaceId: ws, journeyId, kind: "voided", objectId: "in_rev4", invoiceId: "in_rev4" };
    await openReversal(env.DB, { ...voided, eventId: "evt_rev4_void" });
    await using instance = await watchJourney(journeyId, { timeOut: ["onboarding.payment.wait-0"] });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 99104)]));
    await instance.waitForStepResult({ name: "onboarding.payment.reminder-1.reversal-check" });
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    if (!invoice) throw new Error("invoice expected");

    // The rule holds nothing: the payment completes the journey; no reminder was ever sent.
    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["signalled"]);
    await instance.waitForStatus("complete");
    expect(sideEffects(world, journeyId, email).emails.map((m) => m.subject)).toEqual([
      `Welcome, Grace: your next steps for Brand sprint ${deal}`,
    ]);
    expect((await findStep(env.DB, journeyId, "onboarding.payment.reminder-1"))?.result).toEqual({
      skipped: "reminders stopped by a money reversal",
    });
  });
});
