import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { formToken, leadFields, leadIdOf, postLead, watchLead } from "../leads/lead-helpers";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";

const world = useWorld();

describe("the default process from the lead form to a won deal", () => {
  it("form → contact, deal and auto-reply → the deal is won → onboarding runs for the same client", async () => {
    const [ws, portal] = ["ws-lead-to-won", "4410095"];
    await connectWorkspace(env, ws, portal);
    const token = await formToken(ws);
    const leadId = await leadIdOf(ws, token);
    await using leadRun = await watchLead(leadId);
    const submitted = await postLead(ws, {
      ...leadFields({ email: "rosa@lead.test", name: "Rosa Parks" }),
      _token: token,
    });
    expect(submitted.status).toBe(200);
    await leadRun.waitForStatus("complete");
    const lead = await findLead(env.DB, leadId);
    const dealId = lead?.hubspotDealId ?? "";
    expect(world.google.sent.filter((m) => m.to.includes("rosa@lead.test"))).toHaveLength(1);

    // The rep prices the deal and closes it in HubSpot.
    const deal = world.hubspot.deals.get(dealId);
    if (!deal) throw new Error("the lead's deal expected");
    Object.assign(deal.properties, { amount: "1500", dealstage: "closedwon", closedate: "2026-11-24T00:00:00Z" });
    const journeyId = await onboardingJourneyId(ws, dealId);
    await using journey = await watchJourney(journeyId, { binding: env.PROCESS });
    const won = await postHubspot(JSON.stringify([dealStageEvent(portal, dealId, "closedwon", 99501)]));
    expect(await won.json()).toMatchObject({ started: 1 });
    await journey.waitForStepResult({ name: "onboarding.kickoff" });

    const emails = world.google.sent.filter((m) => m.to.includes("rosa@lead.test")).map((m) => m.subject);
    expect(emails).toEqual([expect.any(String), "Welcome, Rosa: your next steps"]);
    const deposit = [...world.stripe.invoices.values()].find((i) => i.metadata.clientflow_journey_id === journeyId);
    expect(deposit?.amount_due).toBe(75000);
    expect(await findJourney(env.DB, journeyId)).toMatchObject({
      workflow: "process",
      contactId: lead?.hubspotContactId,
    });
  });
});
