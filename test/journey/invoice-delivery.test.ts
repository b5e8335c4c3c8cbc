import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findContractByJourney } from "../../src/store/contracts";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

describe("the agreement states the fee in the deal's currency, before any invoice", () => {
  it("a EUR deal with only an amount: the agreement the client reads states €2,400.00 and the schedule", async () => {
    const [ws, portal, deal] = ["ws-fee-eur", "4410801", "9801"];
    await connectWorkspace(env, ws, portal);
    world.hubspot.addDeal(deal, {
      properties: {
        dealname: "Euro sprint",
        amount: "2400",
        dealstage: "closedwon",
        closedate: "2026-11-20T10:00:00.000Z",
        deal_currency_code: "EUR",
      },
      contact: { email: "eve@client.test", firstname: "Eve", lastname: "Curie" },
    });
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 98001)]));
    await instance.waitForStepResult({ name: "onboarding.kickoff" });

    const contract = await findContractByJourney(env.DB, journeyId);
    const schedule =
      "3. Fees and payment\nThe fee for the services is €2,400.00.\n\nPayment schedule:\n- Deposit (50%): €1,200.00, invoiced with this agreement, due within 7 days of the invoice.\n- Balance: €1,200.00, invoiced at delivery, due within 14 days of the invoice.";
    expect(contract?.bodyText).toContain(schedule);
    expect(contract?.bodyText).not.toMatch(/fee for the services is \./);
    // The page the client accepts shows that stored text.
    const [welcome] = sideEffects(world, journeyId, "eve@client.test").emails;
    const link = /https:\/\/clientflow\.test(\/c\/\S+)/.exec(welcome?.text ?? "")?.[1];
    if (!link) throw new Error("agreement link expected");
    const page = await (await exports.default.fetch(`http://app${link}`)).text();
    expect(page).toContain("The fee for the services is €2,400.00.");
    expect(page).toContain("Deposit (50%): €1,200.00");
    // The deposit is billed in the deal's currency, the amount the agreement stated.
    const [deposit] = sideEffects(world, journeyId, "eve@client.test").invoices;
    expect(deposit).toMatchObject({ currency: "eur", amount_due: 120000 });
  });
});

/** A workspace whose process is one invoice step Stripe sends, with Stripe Tax; runs a won deal to the end. */
async function stripeSends(ws: string, portal: string, deal: string, eventId: number) {
  await connectWorkspace(env, ws, portal);
  await saveTemplate(
    env.DB,
    ws,
    {
      name: "Stripe sends",
      phases: [
        {
          id: "onboarding",
          name: "Onboarding",
          steps: [
            {
              id: "invoice",
              name: "Invoice",
              action: "stripe.create-invoice",
              inputs: { amount: "deal", send: "stripe", automaticTax: true },
            },
          ],
        },
      ],
    },
    "owner",
  );
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  await using instance = await watchJourney(journeyId);
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", eventId)]));
  await instance.waitForStatus("complete");
  return { email, journeyId };
}

describe('send: "stripe" and Stripe Tax on an invoice step', () => {
  afterEach(() => world.stripe.clearFaults());

  it("Stripe is asked to send the finalized send_invoice invoice, with automatic_tax[enabled]=true", async () => {
    const { email, journeyId } = await stripeSends("ws-stripe-send", "4410802", "9802", 98002);
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    expect(invoice).toMatchObject({ status: "open", collection_method: "send_invoice", amount_due: 240000 });
    expect(invoice?.automatic_tax).toEqual({ enabled: true, status: "complete" });
    const create = world.stripe.requests
      .matching("POST", "/v1/invoices")
      .find((r) => r.headers["idempotency-key"]?.startsWith(`${journeyId}:`));
    expect(create?.body).toMatchObject({ collection_method: "send_invoice", "automatic_tax[enabled]": "true" });
    const sends = world.stripe.requests.matching("POST", `/v1/invoices/${invoice?.id}/send`);
    // One key per round of the step (see test/journey/stripe-send-once.test.ts for lost answers and 500s).
    expect(sends.map((r) => r.headers["idempotency-key"])).toEqual([`${journeyId}:onboarding.invoice:send:r0`]);
    expect(world.stripe.emailed.filter((id) => id === invoice?.id)).toHaveLength(1);
  });

  it("a failed finalize is retried under a new key on the invoice the first attempt made; it is emailed once", async () => {
    const fault = world.stripe.failNext("POST", /^\/v1\/invoices\/[^/]+\/finalize$/);
    const { email, journeyId } = await stripeSends("ws-stripe-resend", "4410803", "9803", 98003);
    expect(fault.hits).toBe(1);
    const invoices = sideEffects(world, journeyId, email).invoices;
    expect(invoices).toHaveLength(1);
    const finalizes = world.stripe.requests.matching("POST", `/v1/invoices/${invoices[0]?.id}/finalize`);
    expect(finalizes.map((r) => r.headers["idempotency-key"])).toEqual([
      `${journeyId}:onboarding.invoice:finalize:r0a1`,
      `${journeyId}:onboarding.invoice:finalize:r0a2`,
    ]);
    expect(world.stripe.emailed.filter((id) => id === invoices[0]?.id)).toHaveLength(1);
  });
});

describe("instalments: every invoice's link reaches the client", () => {
  it("Stripe sends the first, an email carries the second by its step, another the third as the latest invoice", async () => {
    const [ws, portal, deal] = ["ws-instalments", "4410804", "9804"];
    await connectWorkspace(env, ws, portal);
    const part = (k: number, extra: Record<string, unknown>) => ({
      id: `part-${k}`,
      name: `Instalment ${k}`,
      action: "stripe.create-invoice",
      inputs: { amount: "instalment", instalment: k, instalments: 3, dueDays: 30 * k, ...extra },
    });
    const mail = (id: string, body: string) => ({
      id,
      name: id,
      action: "gmail.send-email",
      inputs: { subject: id, body },
    });
    const steps = [
      part(1, { send: "stripe" }),
      part(2, { send: "email" }),
      mail("second", "Instalment {{steps.part-2.number}}: {{steps.part-2.url}}"),
      part(3, {}),
      mail("third", "Instalment {{invoice.number}}: {{invoice.url}}"),
    ];
    const plan = { name: "Three instalments", phases: [{ id: "onboarding", name: "Onboarding", steps }] };
    await saveTemplate(env.DB, ws, plan, "owner");
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 98004)]));
    await instance.waitForStatus("complete");

    const { invoices, emails } = sideEffects(world, journeyId, email);
    // $2,400 in three: each instalment bills a third, and each is open for the client to pay.
    expect(invoices.map((i) => [i.amount_due, i.status])).toEqual([
      [80000, "open"],
      [80000, "open"],
      [80000, "open"],
    ]);
    const [first, second, third] = invoices;
    if (!first?.hosted_invoice_url || !second?.number || !third?.number) throw new Error("finalized invoices expected");
    expect(world.stripe.emailed.filter((id) => id === first.id)).toHaveLength(1);
    expect(world.stripe.emailed.filter((id) => id === second.id || id === third.id)).toEqual([]);
    expect(emails.map((m) => m.text.trim())).toEqual([
      `Instalment ${second.number}: ${second.hosted_invoice_url}`,
      `Instalment ${third.number}: ${third.hosted_invoice_url}`,
    ]);
    expect(emails.some((m) => m.text.includes(first.hosted_invoice_url ?? "?"))).toBe(false);
  });
});
