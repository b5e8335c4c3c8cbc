import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { presetTemplate } from "../../src/engine/presets";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findJourneyCard } from "../../src/store/journey-cards";
import { recordJourneyInvoice } from "../../src/store/journey-invoices";
import { listReversals } from "../../src/store/journey-reversals";
import { findStep } from "../../src/store/journey-steps";
import { startTasks } from "../../src/tasks/task-workflow";
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

/** The onboarding preset with the default template's reversal rules. */
const withRules = { ...presetTemplate("onboarding"), reversals: DEFAULT_TEMPLATE.reversals };

/** A won deal's journey run until its invoice is out, then the invoice paid at Stripe (no `invoice.paid` sent). */
async function paidJourney(ws: string, portal: string, deal: string, hubspotEventId: number) {
  await connectWorkspace(env, ws, portal, { template: withRules });
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  const instance = await watchJourney(journeyId);
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", hubspotEventId)]));
  await instance.waitForStepResult({ name: "onboarding.update-deal" });
  const [invoice] = sideEffects(world, journeyId, email).invoices;
  if (!invoice) throw new Error("invoice expected");
  world.stripe.pay(invoice.id);
  // A charge or dispute names no workspace: Stripe sends the account, as for every Connect event.
  const post = async (event: unknown) => intakeOutcomes(await postStripe(event, { account: stripeAccountOf(ws) }));
  return { journeyId, instance, invoice, post };
}

/** The texts of the callouts on a card in the Notion emulator. */
const flagsOn = (pageId: string) =>
  (world.notion.pages.get(pageId)?.children ?? [])
    .map((c) => c as { type: string; callout?: { rich_text: { text: { content: string } }[] } })
    .filter((c) => c.type === "callout")
    .map((c) => (c.callout?.rich_text ?? []).map((t) => t.text.content).join(""));

const open = async (journeyId: string) =>
  (await listReversals(env.DB, journeyId)).filter((r) => r.resolvedAt === null).map((r) => [r.kind, r.objectId]);

describe("refunds and disputes reach the journey through the invoice's PaymentIntent", () => {
  it("charge.refunded: a partial refund is left alone (default rules), the full refund is a reversal; a foreign PaymentIntent does nothing", async () => {
    const { journeyId, instance, invoice, post } = await paidJourney("ws-revch1", "4410081", "8721", 99201);
    await using _ = instance;
    await using tasks = await introspectWorkflow(env.TASKS);
    await tasks.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });

    const partial = world.stripe.event("charge.refunded", world.stripe.payments.refund(invoice.id, 100));
    expect(await post(partial)).toEqual(["no_rule"]);
    expect((await findStep(env.DB, journeyId, `reversal.${partial.id}`))?.result).toMatchObject({
      kind: "refund",
      invoiceId: invoice.id,
      partial: true,
      rules: null,
    });
    expect(await open(journeyId)).toEqual([]);

    const charge = world.stripe.payments.refund(invoice.id);
    expect(charge.refunded).toBe(true);
    const full = world.stripe.event("charge.refunded", charge);
    expect(await post(full)).toEqual(["signalled"]);
    expect(await open(journeyId)).toEqual([["refund", charge.id]]);
    const row = await findStep(env.DB, journeyId, `reversal.${full.id}`);
    expect(row?.label).toBe("Stripe: payment refunded");
    expect(row?.result).toMatchObject({
      kind: "refund",
      state: "opened",
      invoiceId: invoice.id,
      partial: false,
      rules: { dealStatus: "Payment reversed", hold: true, tellOwner: true },
    });
    // The link was read from Stripe's invoice payments by the refund's PaymentIntent.
    const lookups = world.stripe.requests.all.filter((r) => r.path === "/v1/invoice_payments");
    expect(lookups.at(-1)?.search.get("payment[type]")).toBe("payment_intent");
    expect(lookups.at(-1)?.search.get("payment[payment_intent]")).toBe(charge.payment_intent);
    for (const task of await tasks.get()) await task.waitForStatus("complete");
    expect(world.hubspot.deals.get("8721")?.properties.clientflow_status).toBe("Payment reversed");
    // The card is flagged with the rule's text; its timeline row says so.
    const flagged = await findStep(env.DB, journeyId, `stripe.reversal.${full.id}.card`);
    expect(flagged).toMatchObject({ status: "succeeded" });
    expect(flagged?.label).toContain("Notion card flagged");
    const pageId = (await findJourneyCard(env.DB, journeyId))?.pageId ?? "";
    expect(flagsOn(pageId)).toEqual([`Payment reversed in Stripe: check before going on (Clientflow flag ${full.id})`]);
    // Replayed after its task instance is gone: the marker is found, nothing is appended twice.
    const flag = { pageId, flagId: full.id, text: "Payment reversed in Stripe: check before going on" };
    const replay = { kind: "flag-card", step: `stripe.reversal.${full.id}.card`, label: "again", ...flag } as const;
    await startTasks(env, `replay:${full.id}`, { workspaceId: "ws-revch1", journeyId, fromName: "", tasks: [replay] });
    for (const task of await tasks.get()) await task.waitForStatus("complete");
    expect(flagsOn(pageId)).toHaveLength(1);
    expect(world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL)).map((m) => m.subject)).toEqual([
      expect.stringMatching(`^Money reversed: invoice ${invoice.id} `),
    ]);

    // A PaymentIntent that paid an invoice no journey made (a sale outside Clientflow), and one that paid none.
    const foreignInvoice = { ...invoice, id: "in_1RevChForeign", metadata: {} };
    world.stripe.payments.record(foreignInvoice, 1_795_000_000);
    const foreign = world.stripe.event("charge.refunded", world.stripe.payments.refund(foreignInvoice.id));
    expect(await post(foreign)).toEqual(["ignored"]);
    const unknown = world.stripe.event("charge.dispute.created", {
      id: "dp_1RevChNone",
      object: "dispute",
      charge: "ch_1RevChNone",
      payment_intent: "pi_1RevChNone",
      status: "needs_response",
    });
    expect(await post(unknown)).toEqual(["ignored"]);
    expect(await listReversals(env.DB, journeyId)).toHaveLength(1);
    expect(await findStep(env.DB, journeyId, `reversal.${foreign.id}`)).toBeNull();
  });

  it("charge.dispute.created opens a dispute; closed won resolves it; closed lost replaces it", async () => {
    const { journeyId, instance, invoice, post } = await paidJourney("ws-revch2", "4410082", "8722", 99202);
    await using _ = instance;
    await using tasks = await introspectWorkflow(env.TASKS);
    await tasks.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });

    const ownerMailBefore = world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL)).length;
    const first = world.stripe.payments.dispute(invoice.id);
    const created = world.stripe.event("charge.dispute.created", first);
    expect(await post(created)).toEqual(["signalled"]);
    expect(await open(journeyId)).toEqual([["dispute", first.id]]);
    expect((await findStep(env.DB, journeyId, `reversal.${created.id}`))?.label).toBe("Stripe: payment disputed");

    const won = world.stripe.event("charge.dispute.closed", world.stripe.payments.closeDispute(first.id, "won"));
    expect(await post(won)).toEqual(["signalled"]);
    expect(await open(journeyId)).toEqual([]);
    expect((await findStep(env.DB, journeyId, `reversal.${won.id}`))?.result).toMatchObject({
      kind: "dispute",
      state: "resolved",
      changed: "hold released",
    });

    const second = world.stripe.payments.dispute(invoice.id);
    expect(await post(world.stripe.event("charge.dispute.created", second))).toEqual(["signalled"]);
    const lost = world.stripe.event("charge.dispute.closed", world.stripe.payments.closeDispute(second.id, "lost"));
    expect(await post(lost)).toEqual(["signalled"]);
    expect(await open(journeyId)).toEqual([["dispute_lost", second.id]]);
    expect((await findStep(env.DB, journeyId, `reversal.${lost.id}`))?.label).toBe("Stripe: dispute lost");
    for (const task of await tasks.get()) await task.waitForStatus("complete");
    // One owner email per reversal opened (two disputes, the loss); a resolution sends none.
    expect(world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL))).toHaveLength(ownerMailBefore + 3);
  });

  it("a failed instalment emails the owner once: the reversal notice carries the payment-failed facts", async () => {
    const ws = "ws-revch3";
    const { journeyId, instance, invoice, post } = await paidJourney(ws, "4410083", "8723", 99203);
    await using _ = instance;
    await using tasks = await introspectWorkflow(env.TASKS);
    await tasks.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    // A later instalment of the same journey, whose card payment fails.
    const part = { ...invoice, id: "in_1RevChInstalment2", number: "CF-INST-2", status: "open" };
    await recordJourneyInvoice(env.DB, { workspaceId: ws, invoiceId: part.id, journeyId, purpose: "instalment" });
    const toOwner = () => world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL));
    const before = toOwner().length;
    const failed = world.stripe.event("invoice.payment_failed", part);
    expect(await post(failed)).toEqual(["notified"]);
    for (const task of await tasks.get()) await task.waitForStatus("complete");

    const owner = toOwner().slice(before);
    expect(owner.map((m) => m.subject)).toEqual([expect.stringMatching(`^Money reversed: invoice ${part.id} `)]);
    expect(owner[0]?.text).toContain("had a failed instalment payment. A payment of");
    expect(owner[0]?.text).toContain(
      `for invoice CF-INST-2 failed. The client was sent the payment link: ${part.hosted_invoice_url}`,
    );
    // The client still gets the link to pay another way.
    const client = world.google.sent.filter((m) => m.to.includes(part.customer_email ?? "?"));
    expect(client.map((m) => m.subject)).toContainEqual(expect.stringMatching(/did not go through$/));
    expect(await open(journeyId)).toEqual([["instalment_failed", part.id]]);
  });
});
