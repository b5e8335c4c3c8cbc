import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import {
  connectWorkspace,
  count,
  dealStageEvent,
  intakeOutcomes,
  postHubspot,
  postStripe,
  SENDER_EMAIL,
  useWorld,
  watchJourney,
} from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

describe("invoice.payment_failed", () => {
  it("tells the client (with the payment link) and the business, once per event", async () => {
    const [ws, portal, deal] = ["ws-payfail", "4410060", "8601"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 99001)]));
    await instance.waitForStepResult({ name: "onboarding.update-deal" });
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    if (!invoice?.hosted_invoice_url) throw new Error("open invoice expected");

    await using notifications = await introspectWorkflow(env.TASKS);
    await notifications.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    const failed = world.stripe.event("invoice.payment_failed", {
      ...invoice,
      customer_email: email,
      customer_name: "Grace Hopper",
    });
    const first = await postStripe(failed);
    expect(await intakeOutcomes(first)).toEqual(["notified"]);
    const [notify] = await notifications.get();
    await notify?.waitForStatus("complete");

    const toClient = world.google.sent.filter((m) => m.to.includes(email) && m.subject.includes("did not go through"));
    expect(toClient).toHaveLength(1);
    expect(toClient[0]?.subject).toBe("Your payment of $2,400.00 did not go through");
    expect(toClient[0]?.text).toContain(`pay it with another card or method here: ${invoice.hosted_invoice_url}`);
    // The task's email goes through the same renderer: the link an anchor, under the business's name.
    expect(toClient[0]?.html).toContain(`<a href="${invoice.hosted_invoice_url}" rel="noopener noreferrer"`);
    expect(toClient[0]?.html).toContain(">Bright Studio</td>");
    const toOwner = world.google.sent.filter((m) => m.to.includes(SENDER_EMAIL));
    expect(toOwner.map((m) => m.subject)).toEqual([`Payment failed: invoice ${invoice.number} ($2,400.00)`]);

    const again = await postStripe(failed);
    expect(await intakeOutcomes(again)).toEqual(["duplicate"]);
    expect(await count(env, "webhook_events", "event_id = ?", failed.id)).toBe(1);
    expect(world.google.sent.filter((m) => m.subject.includes("did not go through"))).toHaveLength(1);

    // An invoice of the account that no journey created: matched by its id, never by its metadata.
    const stranger = world.stripe.event("invoice.payment_failed", {
      ...invoice,
      id: "in_1NoJourneyMadeIt",
      customer_email: "someone@elsewhere.test",
      metadata: { clientflow_workspace_id: ws, clientflow_journey_id: "onb-unknown" },
    });
    expect(await intakeOutcomes(await postStripe(stranger))).toEqual(["unknown_journey"]);
    // An event of an account no workspace connected, naming this journey: recorded, no email.
    const outsider = world.stripe.event("invoice.payment_failed", {
      ...invoice,
      customer_email: "someone@elsewhere.test",
      hosted_invoice_url: "https://phish.test/pay",
    });
    const unrouted = await postStripe(outsider, { account: "acct_1Outsider0000000" });
    expect(await intakeOutcomes(unrouted)).toEqual(["unknown_account"]);
    expect(world.google.sent.filter((m) => m.to.includes("someone@elsewhere.test"))).toEqual([]);
  });
});
