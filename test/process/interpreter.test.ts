import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { stepLinks } from "../../src/dashboard/journeys/step-links";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { contractSigned, notionPageChanged } from "../../src/runtime/protocol";
import { signalJourney } from "../../src/runtime/signal";
import { findContractByJourney } from "../../src/store/contracts";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { recordUnsubscribe } from "../../src/store/unsubscribes";
import { emailHash } from "../../src/unsubscribe/opt-out";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import {
  connectWorkspace,
  dealStageEvent,
  intakeOutcomes,
  intakeTally,
  postHubspot,
  postStripe,
  TEST_LINKS,
  useWorld,
  watchJourney,
} from "../world";

const world = useWorld();
const LINKS = { hubspotAppBase: "https://app.hubspot.test", portalId: "4410040", sandboxMail: false };

/** Every `clientflow_status` the journey wrote to the deal, in order (a PATCH HubSpot refused wrote nothing). */
const statusesWritten = (deal: string) =>
  world.hubspot.requests
    .matching("PATCH", `/crm/v3/objects/deals/${deal}`)
    .filter((r) => !world.hubspot.refused.has(r))
    .map((r) => (r.body as { properties: Record<string, string> }).properties.clientflow_status)
    .filter((s) => s !== undefined);

/** The client accepts the agreement: the hosted contract page's signal. */
const signContract = (journeyId: string, contractId: string) =>
  signalJourney(env, journeyId, contractSigned, { contractId, acceptedAt: "2026-11-20T10:00:00.000Z" });
// The board the README documents (the emulator's: Onboarding, In progress, Review, Done), nothing added.

/** The owner moves the card in Notion; Notion's webhook reaches the journey. */
async function moveCardInNotion(journeyId: string, status: string) {
  const card = [...world.notion.pages.values()].find((p) => world.notion.value(p.id, "Clientflow ID") === journeyId);
  if (!card) throw new Error("card expected");
  card.properties.Status = { status: { name: status } };
  return signalJourney(env, journeyId, notionPageChanged, { pageId: card.id, eventId: `evt-${status}` });
}

async function startJourney(
  ws: string,
  portal: string,
  deal: string,
  eventId: number,
  saved: boolean,
  completedStage = "",
) {
  await connectWorkspace(env, ws, portal, { completedStage });
  // A saved template runs as its version; without one, the default template runs as version 0.
  if (saved) await saveTemplate(env.DB, ws, DEFAULT_TEMPLATE, "owner");
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  return {
    email,
    journeyId,
    start: () => postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", eventId)])),
  };
}

describe("the process interpreter runs the default template", () => {
  it("onboarding (payment before signature) → fulfillment → off-boarding → follow-ups", async () => {
    const { email, journeyId, start } = await startJourney("ws-process", "4410040", "8401", 97001, true, "delivered");
    await using instance = await watchJourney(journeyId, {
      binding: env.JOURNEYS,
      timeOut: ["follow_up.check-in-3m.delay", "follow_up.offer-6m.delay", "follow_up.check-in-12m.delay"],
    });
    expect(await intakeTally(await start())).toMatchObject({ started: 1 });
    expect((await findJourney(env.DB, journeyId))?.workflow).toBe("process");

    await instance.waitForStepResult({ name: "onboarding.kickoff" });
    const first = sideEffects(world, journeyId, email);
    // Right after the invoice and the card exist, the deal carries both links and the phase.
    const card = first.cards[0];
    expect(world.hubspot.deals.get("8401")?.properties).toMatchObject({
      clientflow_status: "Onboarding",
      clientflow_invoice_url: first.invoices[0]?.hosted_invoice_url,
      clientflow_project_url: card?.url,
    });
    // Sending the agreement is a step row with the agreement's link.
    const agreement = (await listSteps(env.DB, journeyId)).find((s) => s.name === "onboarding.send-agreement");
    const agreementUrl = (agreement?.result as { url?: string } | null)?.url ?? "";
    expect(agreement).toMatchObject({ status: "succeeded", label: "Send the agreement" });
    expect(agreementUrl).toMatch(/^https:\/\/clientflow\.test\/c\/\S+/);
    expect(stepLinks(agreement?.result, LINKS)).toEqual([{ label: "Agreement", href: agreementUrl }]);
    expect(first.emails[0]?.text).toContain(`1. Your agreement: ${agreementUrl}`);
    expect(first.invoices).toHaveLength(1);
    expect(first.invoices[0]?.amount_due).toBe(120000); // 50% deposit of $2,400
    expect(first.emails.map((m) => m.subject)).toEqual(["Welcome, Grace: your next steps"]);
    expect(first.emails[0]?.text).toMatch(/1\. Your agreement: https:\/\/clientflow\.test\/c\/\S+/);
    // The deposit's link and number reach the client's mailbox.
    const deposit = first.invoices[0];
    if (!deposit?.number || !deposit.hosted_invoice_url) throw new Error("finalized deposit expected");
    expect(first.emails[0]?.text).toContain(
      `2. Your deposit invoice ${deposit.number} ($1,200.00, due ${new Date((deposit.due_date ?? 0) * 1000).toISOString().slice(0, 10)}): ${deposit.hosted_invoice_url}`,
    );
    expect(world.google.events.size).toBeGreaterThan(0);
    // The agreement the client signs states the full fee and the schedule, made before any invoice.
    const agreementText = (await findContractByJourney(env.DB, journeyId))?.bodyText ?? "";
    expect(agreementText).toContain(
      "The fee for the services is $2,400.00:\n- Strategy session: 4 × $500.00 = $2,000.00\n- Brand guide: 1 × $400.00 = $400.00\nTotal: $2,400.00",
    );
    expect(agreementText).toContain("- Deposit (50%): $1,200.00, invoiced with this agreement, due within 7 days");
    expect(agreementText).toContain("- Balance: $1,200.00, invoiced at delivery, due within 14 days");

    // Out of order: the deposit is paid before the agreement is accepted.
    const paidEvent = world.stripe.event("invoice.paid", world.stripe.pay(deposit.id));
    expect(await intakeOutcomes(await postStripe(paidEvent))).toEqual(["signalled"]);
    // Duplicates change nothing: Stripe's redelivery is deduped, a second acceptance signal finds no wait.
    expect(await intakeOutcomes(await postStripe(paidEvent))).toEqual(["duplicate"]);
    expect((await signContract(journeyId, "c1")).outcome).toBe("signalled");
    expect((await signContract(journeyId, "c1")).outcome).toBe("signalled");
    await instance.waitForStepResult({ name: "fulfillment.start-work" });
    // The phase writeback: fulfillment's start is the deal's status now.
    expect(world.hubspot.deals.get("8401")?.properties.clientflow_status).toBe("In progress");

    await moveCardInNotion(journeyId, "Review");
    await instance.waitForStepResult({ name: "fulfillment.review-ready" });
    await moveCardInNotion(journeyId, "Done");
    await instance.waitForStatus("complete");

    const after = sideEffects(world, journeyId, email);
    expect(after.invoices.map((i) => i.amount_due)).toEqual([120000, 120000]);
    const balance = after.invoices[1];
    if (!balance?.number || !balance.hosted_invoice_url) throw new Error("finalized balance expected");
    expect(balance.number).not.toBe(deposit.number);
    expect(after.emails.map((m) => m.subject)).toEqual([
      "Welcome, Grace: your next steps",
      "Brand sprint 8401 is ready for your review",
      `Invoice ${balance.number} for Brand sprint 8401`,
      "How happy are you with Brand sprint 8401?",
      "Would you share a review?",
      "Thank you, Grace",
      "How is it going, Grace?",
      "Ready for the next project?",
      "A year since Brand sprint 8401",
    ]);
    // The balance's link and number reach the client's mailbox too.
    const balanceEmail = after.emails.find((m) => m.subject.startsWith("Invoice "));
    expect(balanceEmail?.text).toContain(`Your balance invoice ${balance.number} ($1,200.00, due `);
    expect(balanceEmail?.text).toContain(balance.hosted_invoice_url);
    const survey = after.emails.find((m) => m.subject.startsWith("How happy"));
    expect(survey?.text).toMatch(/https:\/\/clientflow\.test\/s\/\S+/);
    const followUp = after.emails.find((m) => m.subject === "How is it going, Grace?");
    expect(followUp?.text).toMatch(/Unsubscribe: https:\/\/clientflow\.test\/u\/\S+/);
    // The card stays in Done, the board's last status; the review request carries the studio's review link.
    expect(world.notion.value(after.cards[0]?.id ?? "", "Status")).toBe("Done");
    expect(world.notion.statuses).toEqual(["Onboarding", "In progress", "Review", "Done"]);
    expect(after.emails.find((m) => m.subject === "Would you share a review?")?.text).toContain(TEST_LINKS.reviewUrl);
    // Off-boarding marks the deal complete; the follow-up phase that starts then is the last status written.
    // Onboarding's phase status rides in deal-links' PATCH (it falls together with the phase's start): written once.
    expect(statusesWritten("8401")).toEqual([
      "Onboarding",
      "Agreement accepted",
      "Deposit paid",
      "In progress",
      "Off-boarding",
      "Complete",
      "Follow-up",
    ]);
    expect(world.hubspot.deals.get("8401")?.properties.clientflow_status).toBe("Follow-up");
    // The workspace's completed stage (HubSpot's echo of it is not mirrored back to the card).
    expect(world.hubspot.deals.get("8401")?.properties.dealstage).toBe("delivered");
    const journey = await findJourney(env.DB, journeyId);
    expect(journey).toMatchObject({ status: "complete", phase: "follow_up", templateVersion: 1 });
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.filter((s) => s.status === "failed")).toEqual([]);
  });

  it("skips follow-ups for a client who unsubscribed, and stops when the client buys again", async () => {
    const { email, journeyId, start } = await startJourney("ws-process-repurchase", "4410041", "8402", 97002, false);
    await using instance = await watchJourney(journeyId, {
      binding: env.JOURNEYS,
      timeOut: ["follow_up.check-in-3m.delay"],
    });
    await start();
    await instance.waitForStepResult({ name: "onboarding.kickoff" });
    const [deposit] = sideEffects(world, journeyId, email).invoices;
    if (!deposit) throw new Error("deposit expected");
    await signContract(journeyId, "c2");
    await postStripe(world.stripe.event("invoice.paid", world.stripe.pay(deposit.id)));
    await instance.waitForStepResult({ name: "fulfillment.start-work" });
    await moveCardInNotion(journeyId, "Review");
    await moveCardInNotion(journeyId, "Done");
    await instance.waitForStepResult({ name: "offboarding.complete-deal" });
    await recordUnsubscribe(env.DB, "ws-process-repurchase", await emailHash(email));
    await instance.waitForStepResult({ name: "follow_up.check-in-3m.unsubscribed" });
    // The client buys again: HubSpot reports a new deal for the same contact.
    world.hubspot.deals.set("9999", {
      properties: { dealname: "Second sprint" },
      contactIds: ["98402"],
      lineItemIds: [],
    });
    const created = await postHubspot(
      JSON.stringify([
        {
          eventId: 97099,
          portalId: 4410041,
          objectId: 9999,
          subscriptionType: "deal.creation",
          occurredAt: Date.now(),
        },
      ]),
    );
    expect(await intakeTally(created)).toMatchObject({ received: 1, dispatched: 1 });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({
      status: "repurchased",
      phase: "follow_up",
      step: "offer-6m",
    });
    // No completed stage configured: the deal stays in its stage.
    expect(world.hubspot.deals.get("8402")?.properties.dealstage).toBe("closedwon");
    const subjects = sideEffects(world, journeyId, email).emails.map((m) => m.subject);
    // The 3-month check-in came due after the unsubscribe: skipped, not sent.
    expect(subjects).not.toContain("How is it going, Grace?");
    const checkIn = (await listSteps(env.DB, journeyId)).find((s) => s.name === "follow_up.check-in-3m");
    expect(checkIn).toMatchObject({ status: "succeeded", result: { messageId: null, skipped: "unsubscribed" } });
  });
});
