import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listReversals, openReversal } from "../../src/store/journey-reversals";
import { findStep } from "../../src/store/journey-steps";
import { location, signIn } from "../browser";
import { useWorld } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();

/** An invoice, then a second phase the template's rules hold while a refund or a lost dispute is open. */
const HELD_PROCESS = {
  name: "Invoice, then the work",
  reversals: [{ on: ["refund", "dispute_lost"], hold: true }],
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        { id: "invoice", name: "Invoice", action: "stripe.create-invoice", inputs: { amount: "deal", send: "stripe" } },
      ],
    },
    {
      id: "fulfillment",
      name: "Fulfillment",
      steps: [
        {
          id: "start-email",
          name: "Kickoff email",
          action: "gmail.send-email",
          inputs: { subject: "We start, {{client.firstName}}", body: "Work begins this week." },
        },
      ],
    },
  ],
};

describe("the owner releases a money reversal", () => {
  it("open reversals show on the journey page with Mark resolved; each release is recorded and timed; the held phase goes on once none is open", async () => {
    const owner = await ownerWithProcess(world, "owner-release", "4410621", HELD_PROCESS);
    const journeyId = await onboardingJourneyId(owner.workspaceId, "8621");
    // As intake records a refund and a lost dispute of the journey's invoice (test/journey/reversal-charges.test.ts).
    const reversal = { workspaceId: owner.workspaceId, journeyId, invoiceId: "in_1RelInvoice" };
    await openReversal(env.DB, { ...reversal, eventId: "evt_1RelRefund", kind: "refund", objectId: "ch_1Rel" });
    await openReversal(env.DB, { ...reversal, eventId: "evt_1RelLost", kind: "dispute_lost", objectId: "dp_1Rel" });
    const { instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8621", 96021);
    await using _ = instance;
    await instance.waitForStepResult({ name: "phase.fulfillment.reversal-hold.check-0" });
    expect((await findStep(env.DB, journeyId, "phase.fulfillment.reversal-hold"))?.status).toBe("waiting");

    const page = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    const section = page.slice(page.indexOf('id="journey-reversals"'), page.indexOf('id="journey-timeline"'));
    expect(section).toContain("Money reversed");
    expect(section).toContain("Stripe: payment refunded");
    expect(section).toContain("Stripe: dispute lost");
    const refundPath = `/journeys/${journeyId}/reversals/evt_1RelRefund/resolve`;
    expect(section).toContain(`action="${refundPath}"`);
    expect(section).toContain(`data-api="POST /api${refundPath}"`);
    expect(section.match(/Mark resolved/g)).toHaveLength(2);

    // The page's form: CSRF required, another workspace's owner finds nothing.
    const noCsrf = await owner.browser.fetch(refundPath, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(noCsrf.status).toBe(403);
    const stranger = await signIn(world, { sub: "owner-release-stranger", email: "stranger@release.test" });
    expect((await stranger.browser.post(refundPath, {}, stranger.csrf)).status).toBe(404);
    const released = await owner.browser.post(refundPath, {}, owner.csrf);
    expect(released.status).toBe(303);
    expect(location(released)).toBe(`/journeys/${journeyId}?done=resolve`);
    const row = await findStep(env.DB, journeyId, "reversal.evt_1RelRefund.resolved");
    expect(row?.label).toBe("Stripe: payment refunded: marked resolved by you");
    expect(row?.result).toMatchObject({ kind: "refund", resolvedBy: "owner", changed: "hold released" });

    // The lost dispute still holds the phase: the next round looks again and waits.
    await instance.waitForStepResult({ name: "phase.fulfillment.reversal-hold.check-1" });
    expect(await findStep(env.DB, journeyId, "fulfillment.start-email")).toBeNull();

    const api = (id: string) =>
      owner.browser.fetch(`/api/journeys/${journeyId}/reversals/${id}/resolve`, {
        method: "POST",
        headers: { "x-csrf-token": owner.csrf },
      });
    expect((await api("evt_1RelNothing")).status).toBe(404);
    const byApi = await api("evt_1RelLost");
    expect(byApi.status).toBe(200);
    expect(await byApi.json()).toEqual({
      journeyId,
      reversalId: "evt_1RelLost",
      resolvedBy: "owner",
      outcome: "signalled",
    });
    const again = await api("evt_1RelLost");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "invalid_state" });

    await instance.waitForStatus("complete");
    expect((await findStep(env.DB, journeyId, "phase.fulfillment.reversal-hold"))?.status).toBe("succeeded");
    expect((await findStep(env.DB, journeyId, "fulfillment.start-email"))?.status).toBe("succeeded");
    expect((await listReversals(env.DB, journeyId)).map((r) => [r.eventId, r.resolvedBy])).toEqual([
      ["evt_1RelRefund", "owner"],
      ["evt_1RelLost", "owner"],
    ]);
    const after = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    expect(after).not.toContain("Mark resolved");
    const list = after.slice(after.indexOf('id="journey-reversals"'), after.indexOf('id="journey-timeline"'));
    expect(list.match(/resolved by you/g)).toHaveLength(2);
  });
});
