import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { instanceExists } from "../../src/runtime/platform";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "../leads/lead-helpers";
import { connectWorkspace, count, dealStageEvent, intakeTally, postHubspot, useWorld } from "../world";

const world = useWorld();

describe("the default process from the lead form to a won deal", () => {
  it("form → contact, deal and auto-reply → the deal is won → the same journey onboards the client", async () => {
    const [ws, portal] = ["ws-lead-to-won", "4410095"];
    await connectWorkspace(env, ws, portal);
    const token = await formToken(ws);
    const leadId = await leadIdOf(ws, token);
    await using journey = await watchLead(leadId);
    const submitted = await postLead(ws, {
      ...leadFields({ email: "rosa@lead.test", name: "Rosa Parks" }),
      _token: token,
    });
    expect(submitted.status).toBe(200);
    await journey.waitForStepResult(LEAD_ANSWERED);
    const lead = await findLead(env.DB, leadId);
    const dealId = lead?.hubspotDealId ?? "";
    expect(world.google.sent.filter((m) => m.to.includes("rosa@lead.test"))).toHaveLength(1);

    // The rep prices the deal and closes it in HubSpot: the lead's journey takes the won deal.
    const deal = world.hubspot.deals.get(dealId);
    if (!deal) throw new Error("the lead's deal expected");
    Object.assign(deal.properties, { amount: "1500", dealstage: "closedwon", closedate: "2026-11-24T00:00:00Z" });
    const won = await postHubspot(JSON.stringify([dealStageEvent(portal, dealId, "closedwon", 99501)]));
    expect(await intakeTally(won)).toMatchObject({ received: 1, started: 0 });
    await journey.waitForStepResult({ name: "onboarding.kickoff" });

    const emails = world.google.sent.filter((m) => m.to.includes("rosa@lead.test")).map((m) => m.subject);
    expect(emails).toEqual([expect.any(String), "Welcome, Rosa: your next steps"]);
    const deposit = [...world.stripe.invoices.values()].find((i) => i.metadata.clientflow_journey_id === leadId);
    expect(deposit?.amount_due).toBe(75000);
    // One deal, one journey, one instance: the lead's, now in onboarding.
    expect(await findJourney(env.DB, leadId)).toMatchObject({
      workflow: "process",
      dealId,
      phase: "onboarding",
      contactId: lead?.hubspotContactId,
    });
    expect(await count(env, "journeys", "workspace_id = ?", ws)).toBe(1);
    expect(await instanceExists(env.JOURNEYS, await onboardingJourneyId(ws, dealId))).toBe(false);
    expect(await count(env, "webhook_events", "journey_id = ? AND outcome = 'signalled'", leadId)).toBe(1);
  });
});
