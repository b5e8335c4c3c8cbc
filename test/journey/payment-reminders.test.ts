import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import {
  connectWorkspace,
  dealStageEvent,
  intakeOutcomes,
  postHubspot,
  postStripe,
  useWorld,
  watchJourney,
} from "../world";
import { addWonDeal, editedOnboardingPreset, sideEffects } from "./deal-fixture";

const world = useWorld();

describe("payment reminders", () => {
  it("an unpaid invoice gets a reminder when the wait times out, and payment afterwards completes the journey", async () => {
    const [ws, portal, deal] = ["ws-remind", "4410020", "8001"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, { timeOut: ["onboarding.payment.wait-0"] });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 95001)]));
    await instance.waitForStepResult({ name: "onboarding.payment.reminder-1" });

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
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["signalled"]);
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toEqual({ status: "complete" });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(2);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
    // Paid ("Paid: in progress"), then fulfillment starts and the phase writeback says so.
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe("In progress");
  });

  it("a payment that never comes: reminders, then after the last reminder's wait the journey is unpaid, HubSpot says so, and a late payment is answered 2xx", async () => {
    const [ws, portal, deal] = ["ws-unpaid", "4410021", "8002"];
    // The workspace's edit of the preset: two reminders instead of three.
    const template = editedOnboardingPreset({
      payment: (step) => {
        for (const reminder of step.reminders ?? []) reminder.max = 2;
      },
    });
    await connectWorkspace(env, ws, portal, { template });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, {
      timeOut: [0, 1, 2].map((round) => `onboarding.payment.wait-${round}`),
    });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 95002)]));
    await instance.waitForStatus("complete");

    expect(await instance.getOutput()).toEqual({ status: "unpaid", phase: "onboarding", step: "payment" });
    const { emails, invoices, cards } = sideEffects(world, journeyId, email);
    expect(emails.map((m) => m.subject.split(":")[0])).toEqual(["Welcome, Grace", "Reminder 1", "Reminder 2"]);
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe("Unpaid");
    expect(world.notion.value(cards[0]?.id ?? "", "Status")).toBe("Onboarding");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("unpaid");
    // The payment step never ran and fulfillment never started: the step's row says why.
    const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    expect(steps["onboarding.payment"]).toMatchObject({
      status: "succeeded",
      result: { skipped: "no stripe.invoice.paid within 72 hours after the last reminder", outcome: "end_unpaid" },
    });
    expect(steps["fulfillment.start-work"]).toBeUndefined();
    // The links (the step's own status wins over the onboarding phase's, which rides in its PATCH), then Unpaid:
    // nothing after the journey ended.
    const statuses = world.hubspot.requests
      .matching("PATCH", `/crm/v3/objects/deals/${deal}`)
      .map((r) => (r.body as { properties: Record<string, string> }).properties.clientflow_status);
    expect(statuses).toEqual(["Onboarding: awaiting payment", "Unpaid"]);

    const [invoice] = invoices;
    if (!invoice) throw new Error("invoice expected");
    const late = await postStripe(world.stripe.event("invoice.paid", world.stripe.pay(invoice.id)));
    expect(late.status).toBe(200);
    expect(await intakeOutcomes(late)).toEqual(["journey_finished"]);
  });
});
