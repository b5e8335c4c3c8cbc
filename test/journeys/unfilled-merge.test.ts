import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { sideEffects } from "../journey/deal-fixture";
import { dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();

type Owner = Awaited<ReturnType<typeof ownerWithProcess>>;
interface StepView {
  name: string;
  status: string;
  actions: string[];
  error: { summary: string; raw: string } | null;
}
const stepView = async (owner: Owner, journeyId: string, name: string) => {
  const body = (await (await owner.browser.fetch(`/api/journeys/${journeyId}`)).json()) as { steps: StepView[] };
  return body.steps.find((s) => s.name === name);
};
const decide = (owner: Owner, journeyId: string, step: string, action: "retry" | "skip") =>
  owner.browser.fetch(`/api/journeys/${journeyId}/steps/${step}/${action}`, {
    method: "POST",
    headers: { "x-csrf-token": owner.csrf },
  });

const email = (id: string, name: string, body: string) => ({
  id,
  name,
  action: "gmail.send-email",
  inputs: { subject: `${name}, {{client.firstName}}`, body },
});
const onboarding = (name: string, steps: object[]) => ({
  name,
  phases: [{ id: "onboarding", name: "Onboarding", steps }],
});

/** An invoice step, then an email carrying its link by the step's id, then a thank-you. */
const BY_STEP = onboarding("Link by step", [
  { id: "deposit", name: "Invoice the deposit", action: "stripe.create-invoice", inputs: { amount: "deal" } },
  email("links", "Your invoice", "Pay here: {{steps.deposit.url}}"),
  email("thanks", "Thanks", "Thank you for choosing us."),
]);

/** A deposit Stripe sends, a balance the owner must approve, then an email carrying the latest invoice. */
const LATEST = onboarding("Latest invoice", [
  {
    id: "deposit",
    name: "Invoice the deposit",
    action: "stripe.create-invoice",
    inputs: { amount: "deposit", percent: 50, send: "stripe" },
  },
  {
    id: "balance",
    name: "Invoice the balance",
    action: "stripe.create-invoice",
    approval: true,
    inputs: { amount: "balance", percent: 50 },
  },
  email("balance-email", "Your balance", "Your invoice {{invoice.number}}: {{invoice.url}}"),
  email("thanks", "Thanks", "Thank you for choosing us."),
]);

/** An invoice the owner must approve, then a wait for its payment whose reminder carries its link. */
const REMINDED = onboarding("Reminded", [
  {
    id: "invoice",
    name: "Invoice the project",
    action: "stripe.create-invoice",
    approval: true,
    inputs: { amount: "deal", send: "stripe" },
  },
  {
    id: "paid",
    name: "Paid",
    action: "hubspot.update-deal",
    inputs: { status: "Paid" },
    trigger: {
      type: "event",
      event: "stripe.invoice.paid",
      timeout: { after: { amount: 5, unit: "days" }, outcome: "skip" },
    },
    reminders: [
      {
        after: { amount: 2, unit: "days" },
        while: "unpaid",
        subject: "Reminder",
        body: "Pay here: {{steps.invoice.url}}",
        max: 1,
      },
    ],
  },
  email("thanks", "Thanks", "Thank you for choosing us."),
]);

/** A deposit, a balance the owner must approve, then deal writes naming the latest invoice and the balance's link. */
const DEAL_WRITES = onboarding("Deal writes", [
  {
    id: "deposit",
    name: "Invoice the deposit",
    action: "stripe.create-invoice",
    inputs: { amount: "deposit", percent: 50, send: "stripe" },
  },
  {
    id: "balance",
    name: "Invoice the balance",
    action: "stripe.create-invoice",
    approval: true,
    inputs: { amount: "balance", percent: 50, send: "stripe" },
  },
  {
    id: "deal-links",
    name: "Link the invoice",
    action: "hubspot.update-deal",
    inputs: { status: "Invoice linked", properties: "clientflow_invoice_url: {{invoice.url}}" },
  },
  {
    id: "balance-link",
    name: "Link the balance",
    action: "hubspot.update-deal",
    inputs: { properties: "clientflow_invoice_url: {{steps.balance.url}}" },
  },
  email("thanks", "Thanks", "Thank you for choosing us."),
]);

describe("a merge field the journey cannot fill holds the email, nothing sent", () => {
  it("{{steps.<invoice>.url}} after the owner skipped that invoice: held with the reason; retry holds again; skip goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-unfilled-step", "4410711", BY_STEP);
    // No amount and no line items: the invoice step holds at its deal check, and the owner skips it.
    const clientEmail = "client-8711@client.test";
    world.hubspot.addDeal("8711", {
      properties: { dealname: "Empty 8711", dealstage: "closedwon", deal_currency_code: "USD" },
      contact: { email: clientEmail, firstname: "Grace", lastname: "Hopper" },
    });
    const journeyId = await onboardingJourneyId(owner.workspaceId, "8711");
    await using instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await postHubspot(JSON.stringify([dealStageEvent(owner.portal, "8711", "closedwon", 96711)]));
    await instance.waitForStepResult({ name: "journey.hold#onboarding.deposit.check-deal#0" });
    expect((await decide(owner, journeyId, "onboarding.deposit.check-deal", "skip")).status).toBe(202);

    await instance.waitForStepResult({ name: "journey.hold#onboarding.links.merge-fields#0" });
    const reason =
      "This email names the invoice step “Invoice the deposit” ({{steps.deposit.url}}), which was skipped, so nothing was sent";
    const held = await stepView(owner, journeyId, "onboarding.links");
    expect(held).toMatchObject({ status: "failed", actions: ["retry", "skip"] });
    expect(held?.error?.summary).toContain(reason);
    expect(held?.error?.summary).toContain("skip this email");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    expect(sideEffects(world, journeyId, clientEmail).emails).toHaveLength(0);

    // Retry renders the email again: the invoice is still skipped, so it holds again, still nothing sent.
    expect((await decide(owner, journeyId, "onboarding.links", "retry")).status).toBe(202);
    await instance.waitForStepResult({ name: "journey.hold#onboarding.links.merge-fields#1" });
    expect((await stepView(owner, journeyId, "onboarding.links"))?.error?.summary).toContain(reason);
    expect(sideEffects(world, journeyId, clientEmail).emails).toHaveLength(0);

    expect((await decide(owner, journeyId, "onboarding.links", "skip")).status).toBe(202);
    await instance.waitForStatus("complete");
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === "onboarding.links")).toMatchObject({
      status: "succeeded",
      result: { skipped: "by owner" },
    });
    expect(steps.some((s) => s.name === "journey.stopped")).toBe(false);
    expect(sideEffects(world, journeyId, clientEmail).emails.map((m) => m.subject)).toEqual(["Thanks, Grace"]);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("{{invoice.url}} after the owner skipped the latest invoice step: held, the earlier invoice's link never sent", async () => {
    const owner = await ownerWithProcess(world, "owner-unfilled-latest", "4410712", LATEST);
    const {
      email: clientEmail,
      journeyId,
      instance,
    } = await closeDeal(world, owner.portal, owner.workspaceId, "8712", 96712);
    await using _ = instance;
    await instance.waitForStepResult({ name: "onboarding.balance.await-approval" });
    expect((await decide(owner, journeyId, "onboarding.balance", "skip")).status).toBe(202);

    await instance.waitForStepResult({ name: "journey.hold#onboarding.balance-email.merge-fields#0" });
    const held = await stepView(owner, journeyId, "onboarding.balance-email");
    expect(held).toMatchObject({ status: "failed", actions: ["retry", "skip"] });
    expect(held?.error?.summary).toContain(
      "This email names the invoice step “Invoice the balance” ({{invoice.number}}), which was skipped, so nothing was sent",
    );
    const deposit = sideEffects(world, journeyId, clientEmail).invoices;
    expect(deposit).toHaveLength(1);

    expect((await decide(owner, journeyId, "onboarding.balance-email", "skip")).status).toBe(202);
    await instance.waitForStatus("complete");
    const sent = sideEffects(world, journeyId, clientEmail).emails;
    expect(sent.map((m) => m.subject)).toEqual(["Thanks, Grace"]);
    const depositUrl = deposit[0]?.hosted_invoice_url ?? "";
    expect(depositUrl).not.toBe("");
    for (const m of sent) expect(m.text).not.toContain(depositUrl);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("a reminder naming a skipped invoice's link holds at the reminder's row; skipped, the wait goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-unfilled-reminder", "4410713", REMINDED);
    const clientEmail = "client-8713@client.test";
    world.hubspot.addDeal("8713", {
      properties: { dealname: "Reminded 8713", amount: "900", dealstage: "closedwon", deal_currency_code: "USD" },
      contact: { email: clientEmail, firstname: "Grace", lastname: "Hopper" },
    });
    const journeyId = await onboardingJourneyId(owner.workspaceId, "8713");
    await using instance = await watchJourney(journeyId, {
      binding: env.JOURNEYS,
      timeOut: ["onboarding.paid.wait-0", "onboarding.paid.wait-1"],
    });
    await postHubspot(JSON.stringify([dealStageEvent(owner.portal, "8713", "closedwon", 96713)]));
    await instance.waitForStepResult({ name: "onboarding.invoice.await-approval" });
    expect((await decide(owner, journeyId, "onboarding.invoice", "skip")).status).toBe(202);

    const REMINDER = "onboarding.paid.reminder-1";
    await instance.waitForStepResult({ name: `journey.hold#${REMINDER}.merge-fields#0` });
    const held = await stepView(owner, journeyId, REMINDER);
    expect(held).toMatchObject({ status: "failed", actions: ["retry", "skip"] });
    expect(held?.error?.summary).toContain(
      "names the invoice step “Invoice the project” ({{steps.invoice.url}}), which was skipped, so nothing was sent",
    );
    expect(sideEffects(world, journeyId, clientEmail).emails).toHaveLength(0);

    expect((await decide(owner, journeyId, REMINDER, "skip")).status).toBe(202);
    await instance.waitForStatus("complete");
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === REMINDER)).toMatchObject({
      status: "succeeded",
      result: { skipped: "by owner" },
    });
    expect(steps.some((s) => s.name === "journey.stopped")).toBe(false);
    expect(sideEffects(world, journeyId, clientEmail).emails.map((m) => m.subject)).toEqual(["Thanks, Grace"]);
  });
  it("hubspot.update-deal properties naming a skipped invoice hold at their step, nothing written; skip goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-unfilled-deal", "4410714", DEAL_WRITES);
    const {
      email: clientEmail,
      journeyId,
      instance,
    } = await closeDeal(world, owner.portal, owner.workspaceId, "8714", 96714);
    await using _ = instance;
    await instance.waitForStepResult({ name: "onboarding.balance.await-approval" });
    expect((await decide(owner, journeyId, "onboarding.balance", "skip")).status).toBe(202);

    // {{invoice.url}} would be the deposit's link: held at its own row, the deal not written.
    await instance.waitForStepResult({ name: "journey.hold#onboarding.deal-links.merge-fields#0" });
    const held = await stepView(owner, journeyId, "onboarding.deal-links");
    expect(held).toMatchObject({ status: "failed", actions: ["retry", "skip"] });
    expect(held?.error?.summary).toContain(
      "This step names the invoice step “Invoice the balance” ({{invoice.url}}), which was skipped, so it did not run",
    );
    const deal = () => world.hubspot.deals.get("8714")?.properties ?? {};
    expect(deal().clientflow_invoice_url).toBeUndefined();
    expect(deal().clientflow_status).not.toBe("Invoice linked");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");

    // Retry runs the step again: still unfilled, held again, nothing written.
    expect((await decide(owner, journeyId, "onboarding.deal-links", "retry")).status).toBe(202);
    await instance.waitForStepResult({ name: "journey.hold#onboarding.deal-links.merge-fields#1" });
    expect(deal().clientflow_invoice_url).toBeUndefined();
    expect((await decide(owner, journeyId, "onboarding.deal-links", "skip")).status).toBe(202);

    // {{steps.balance.url}}: the skipped step's own output, held at the next step's row.
    await instance.waitForStepResult({ name: "journey.hold#onboarding.balance-link.merge-fields#0" });
    expect((await stepView(owner, journeyId, "onboarding.balance-link"))?.error?.summary).toContain(
      "This step names the invoice step “Invoice the balance” ({{steps.balance.url}}), which was skipped, so it did not run",
    );
    expect((await decide(owner, journeyId, "onboarding.balance-link", "skip")).status).toBe(202);
    await instance.waitForStatus("complete");

    const steps = await listSteps(env.DB, journeyId);
    for (const name of ["onboarding.deal-links", "onboarding.balance-link"])
      expect(steps.find((s) => s.name === name)).toMatchObject({
        status: "succeeded",
        result: { skipped: "by owner" },
      });
    expect(steps.some((s) => s.name === "journey.stopped")).toBe(false);
    expect(deal().clientflow_invoice_url).toBeUndefined();
    expect(deal().clientflow_status).not.toBe("Invoice linked");
    expect(sideEffects(world, journeyId, clientEmail).invoices).toHaveLength(1);
    expect(sideEffects(world, journeyId, clientEmail).emails.map((m) => m.subject)).toEqual(["Thanks, Grace"]);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });
});
