import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findJourney } from "../../src/store/journeys";
import { connectWorkspace, dealStageEvent, postHubspot, postStripe, useWorld, watchJourney } from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

describe("payment reminders", () => {
  it("an unpaid invoice gets a reminder when the wait times out, and payment afterwards completes the journey", async () => {
    const [ws, portal, deal] = ["ws-remind", "4410020", "8001"];
    await connectWorkspace(env, ws, portal);
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, { timeOut: ["stripe.wait-invoice-paid-0"] });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 95001)]));
    await instance.waitForStepResult({ name: "gmail.send-payment-reminder-1" });

    const { emails, invoices } = sideEffects(world, journeyId, email);
    const [invoice] = invoices;
    if (!invoice?.hosted_invoice_url) throw new Error("finalized invoice expected");
    expect(emails.map((m) => m.subject)).toEqual([
      `Welcome, Grace: your next steps for Brand sprint ${deal}`,
      `Reminder 1: invoice for Brand sprint ${deal}`,
    ]);
    expect(emails[1]?.text).toContain(`You can pay it here: ${invoice.hosted_invoice_url}`);
    expect(emails[1]?.text).toContain(`invoice ${invoice.number} ($2,400.00)`);

    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    expect(await (await postStripe(paid)).json()).toEqual({ received: true, outcome: "signalled" });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ status: "paid" });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(2);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("after the last reminder's wait the journey is unpaid, HubSpot says so, and a late payment is answered 2xx", async () => {
    const [ws, portal, deal] = ["ws-unpaid", "4410021", "8002"];
    await connectWorkspace(env, ws, portal, { maxPaymentReminders: 2 });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, {
      timeOut: [0, 1, 2].map((round) => `stripe.wait-invoice-paid-${round}`),
    });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 95002)]));
    await instance.waitForStatus("complete");

    expect(await instance.getOutput()).toMatchObject({ status: "unpaid" });
    const { emails, invoices, cards } = sideEffects(world, journeyId, email);
    expect(emails.map((m) => m.subject.split(":")[0])).toEqual(["Welcome, Grace", "Reminder 1", "Reminder 2"]);
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe("Unpaid");
    expect(world.notion.value(cards[0]?.id ?? "", "Status")).toBe("Onboarding");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("unpaid");

    const [invoice] = invoices;
    if (!invoice) throw new Error("invoice expected");
    const late = await postStripe(world.stripe.event("invoice.paid", world.stripe.pay(invoice.id)));
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ received: true, outcome: "journey_finished" });
  });
});
