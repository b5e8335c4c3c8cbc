import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, postStripe, useWorld, watchJourney } from "../world";

const world = useWorld();

/** Every `clientflow_status` the journey wrote to the deal, in order (a PATCH HubSpot refused wrote nothing). */
const statuses = (deal: string) =>
  world.hubspot.requests
    .matching("PATCH", `/crm/v3/objects/deals/${deal}`)
    .filter((r) => !world.hubspot.refused.has(r))
    .map((r) => (r.body as { properties: Record<string, string> }).properties.clientflow_status)
    .filter((s) => s !== undefined);

/** Reminders while unpaid, conditions on the deal, and a delay counted from the payment. */
const template = {
  name: "Triggers",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "invoice",
          name: "Invoice",
          action: "stripe.create-invoice",
          inputs: { amount: "deal", dueDays: 7, send: "stripe" },
        },
        {
          id: "paid",
          name: "Paid",
          action: "hubspot.update-deal",
          inputs: { status: "Paid" },
          trigger: { type: "event", event: "stripe.invoice.paid" },
          reminders: [
            {
              after: { amount: 2, unit: "days" },
              while: "unpaid",
              subject: "Reminder: invoice {{steps.invoice.number}}",
              body: "Pay here: {{steps.invoice.url}}",
              max: 2,
            },
          ],
        },
        {
          id: "vip-gift",
          name: "VIP gift",
          action: "gmail.send-email",
          condition: { lineItemNameContains: "VIP" },
          inputs: { subject: "A gift for you", body: "Thanks!" },
        },
        {
          id: "big-project",
          name: "Big project note",
          action: "gmail.send-email",
          condition: { dealAmountAtLeast: 2000 },
          inputs: { subject: "About your {{deal.name}}", body: "A project this size gets a dedicated lead." },
        },
      ],
    },
    {
      id: "follow_up",
      name: "Follow-up",
      steps: [
        {
          id: "after-payment",
          name: "Two weeks after payment",
          action: "gmail.send-email",
          trigger: { type: "delay", wait: { amount: 2, unit: "weeks" }, from: "payment" },
          inputs: { subject: "Two weeks in", body: "How is it going?" },
        },
      ],
    },
  ],
};

describe("process triggers, reminders and conditions", () => {
  it("reminds while unpaid, skips a step whose condition fails, and counts a delay from the payment", async () => {
    const [ws, portal, deal] = ["ws-triggers", "4410080", "8801"];
    await connectWorkspace(env, ws, portal);
    await saveTemplate(env.DB, ws, template, "owner");
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, {
      binding: env.JOURNEYS,
      timeOut: ["onboarding.paid.wait-0", "follow_up.after-payment.delay"],
    });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 98801)]));

    await instance.waitForStepResult({ name: "onboarding.paid.reminder-1" });
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    if (!invoice?.hosted_invoice_url) throw new Error("invoice expected");
    const [reminder] = sideEffects(world, journeyId, email).emails;
    expect(reminder?.subject).toBe(`Reminder: invoice ${invoice.number}`);
    expect(reminder?.text).toContain(`Pay here: ${invoice.hosted_invoice_url}`);

    const paidAt = Math.floor(Date.now() / 1000) - 3600; // paid an hour ago
    await postStripe(world.stripe.event("invoice.paid", world.stripe.pay(invoice.id, paidAt)));
    const waitMs = (await instance.waitForStepResult({ name: "follow_up.after-payment.schedule" })) as number;
    // Two weeks from the payment, not from now: an hour has already gone by.
    expect(waitMs).toBeLessThan(14 * 86_400_000 - 3_500_000);
    expect(waitMs).toBeGreaterThan(14 * 86_400_000 - 3_700_000);
    await instance.waitForStatus("complete");

    expect(sideEffects(world, journeyId, email).emails.map((m) => m.subject)).toEqual([
      `Reminder: invoice ${invoice.number}`,
      `About your Brand sprint ${deal}`,
      "Two weeks in",
    ]);
    const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    expect(steps["onboarding.vip-gift"]).toMatchObject({
      status: "succeeded",
      result: { skipped: "condition not met" },
    });
    // "Paid", then the follow-up phase's writeback.
    expect(statuses(deal)).toEqual(["Onboarding", "Paid", "Follow-up"]);
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe("Follow-up");
  });
});

/** Two waits that time out: one skips its step (after writing the deal's status), the other keeps the default. */
const timeouts = {
  name: "Timeouts",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "signed",
          name: "Agreement signed",
          action: "hubspot.update-deal",
          inputs: { status: "Signed" },
          trigger: {
            type: "event",
            event: "contract.signed",
            timeout: { after: { amount: 5, unit: "days" }, outcome: "skip", dealStatus: "Not signed: {{deal.name}}" },
          },
        },
        { id: "thanks", name: "Thanks", action: "gmail.send-email", inputs: { subject: "Thanks", body: "Thanks!" } },
        {
          id: "answered",
          name: "Survey answered",
          action: "hubspot.update-deal",
          inputs: { status: "Answered" },
          trigger: { type: "event", event: "survey.answered" },
        },
      ],
    },
  ],
};

describe("an event wait's timeout path", () => {
  it("skip writes the deal status and goes on; without a timeout of its own, the wait fails the journey", async () => {
    const [ws, portal, deal] = ["ws-timeouts", "4410081", "8802"];
    await connectWorkspace(env, ws, portal, { template: timeouts });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, {
      timeOut: ["onboarding.signed.wait-0", "onboarding.answered.wait-0"],
    });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 98802)]));
    await instance.waitForStatus("errored");

    expect(sideEffects(world, journeyId, email).emails.map((m) => m.subject)).toEqual(["Thanks"]);
    expect(world.hubspot.deals.get(deal)?.properties.clientflow_status).toBe(`Not signed: Brand sprint ${deal}`);
    const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
    expect(steps["onboarding.signed"]).toMatchObject({
      status: "succeeded",
      result: { skipped: "no contract.signed within 5 days", outcome: "skip" },
    });
    expect(steps["onboarding.answered"]).toMatchObject({
      status: "failed",
      lastError: "no survey.answered within 365 days",
    });
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
  });
});
