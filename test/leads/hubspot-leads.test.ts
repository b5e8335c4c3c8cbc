import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { hubspotLeadId } from "../../src/leads/lead-id";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { connectWorkspace, intakeTally, postHubspot, useWorld } from "../world";
import { LEAD_ANSWERED } from "./lead-helpers";

const world = useWorld();

const created = (kind: "contact" | "deal", portalId: number, objectId: number, eventId: number) => ({
  eventId,
  portalId,
  objectId,
  subscriptionType: `${kind}.creation`,
  occurredAt: Date.now(),
});

/** Waits until every lead journey started so far has answered its lead (and waits for its deal to be won). */
async function leadsSettled(leads: Awaited<ReturnType<typeof introspectWorkflow>>, count: number) {
  await vi.waitFor(async () => expect((await leads.get()).length).toBe(count), { timeout: 4000 });
  for (const instance of await leads.get()) await instance.waitForStepResult(LEAD_ANSWERED);
}

describe("leads that start in HubSpot", () => {
  it("a contact created in HubSpot gets the lead phase: a deal in the first stage and the auto-reply", async () => {
    await connectWorkspace(env, "ws-hs-lead", "4410070");
    world.hubspot.contacts.set("5501", { email: "nia@lead.test", firstname: "Nia", lastname: "Lee" });
    await using leads = await introspectWorkflow(env.JOURNEYS);
    const response = await postHubspot(JSON.stringify([created("contact", 4410070, 5501, 99101)]));
    expect(await intakeTally(response)).toMatchObject({ received: 1, dispatched: 1 });
    await leadsSettled(leads, 1);

    const lead = await findLead(env.DB, await hubspotLeadId("ws-hs-lead", "5501"));
    expect(lead).toMatchObject({
      source: "hubspot",
      email: "nia@lead.test",
      hubspotContactId: "5501",
      status: "replied",
    });
    const deal = world.hubspot.deals.get(lead?.hubspotDealId ?? "");
    expect(deal?.contactIds).toEqual(["5501"]);
    expect(world.google.sent.filter((m) => m.to.includes("nia@lead.test"))).toHaveLength(1);
    expect(await findJourney(env.DB, lead?.id ?? "")).toMatchObject({
      workflow: "process",
      phase: "lead",
      contactId: "5501",
      dealId: lead?.hubspotDealId,
    });
  });

  it("a contact and its deal created together are one lead: no second deal, one auto-reply", async () => {
    await connectWorkspace(env, "ws-hs-lead-deal", "4410071");
    world.hubspot.contacts.set("5502", { email: "omar@lead.test", firstname: "Omar", lastname: "Diaz" });
    world.hubspot.deals.set("7702", {
      properties: { dealname: "Omar's enquiry" },
      contactIds: ["5502"],
      lineItemIds: [],
    });
    const dealsBefore = world.hubspot.deals.size;
    await using leads = await introspectWorkflow(env.JOURNEYS);
    const response = await postHubspot(
      JSON.stringify([created("contact", 4410071, 5502, 99102), created("deal", 4410071, 7702, 99103)]),
    );
    expect(await intakeTally(response)).toMatchObject({ received: 2, dispatched: 2 });
    await leadsSettled(leads, 1);
    expect(world.hubspot.deals.size).toBe(dealsBefore);
    const lead = await findLead(env.DB, await hubspotLeadId("ws-hs-lead-deal", "5502"));
    expect(lead?.hubspotDealId).toBe("7702");
    // The journey holds the deal the lead came with.
    expect((await findJourney(env.DB, lead?.id ?? ""))?.dealId).toBe("7702");
    expect(world.google.sent.filter((m) => m.to.includes("omar@lead.test"))).toHaveLength(1);
  });

  it("a new deal for an existing client starts no lead", async () => {
    await connectWorkspace(env, "ws-hs-client", "4410072");
    world.hubspot.contacts.set("5503", { email: "client@known.test", firstname: "Kim" });
    world.hubspot.deals.set("7703", { properties: { dealname: "Add-on" }, contactIds: ["5503"], lineItemIds: [] });
    await env.DB.prepare(
      "INSERT INTO journeys (id, workspace_id, deal_id, contact_id, workflow_instance_id, status) VALUES ('onb-known', 'ws-hs-client', '7000', '5503', 'onb-known', 'waiting')",
    ).run();
    await using tasks = await introspectWorkflow(env.TASKS);
    await postHubspot(JSON.stringify([created("deal", 4410072, 7703, 99104)]));
    await vi.waitFor(async () => expect((await tasks.get()).length).toBe(1), { timeout: 4000 });
    const [task] = await tasks.get();
    await task?.waitForStatus("complete");
    expect(await task?.getOutput()).toEqual({ done: ["lead:known_client"] });
    expect(await findLead(env.DB, await hubspotLeadId("ws-hs-client", "5503"))).toBeNull();
    expect(world.google.sent.filter((m) => m.to.includes("client@known.test"))).toHaveLength(0);
  });
});
