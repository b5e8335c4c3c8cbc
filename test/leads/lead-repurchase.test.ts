import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { dealMaker, onDealCreated } from "../../src/engine/repurchase";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney, insertJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { TEST_BINDINGS as B } from "../bindings";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, count, dealStageEvent, intakeTally, postHubspot, useWorld, watchJourney } from "../world";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "./lead-helpers";

const world = useWorld();

/** HubSpot's `deal.creation` for a deal, as its webhook delivers it. */
const dealCreation = (portal: string, dealId: string, eventId: number) =>
  JSON.stringify([
    { eventId, portalId: Number(portal), objectId: Number(dealId), subscriptionType: "deal.creation", occurredAt: 1 },
  ]);

/**
 * A client of `deal` whose journey is in its follow-up phase (started there
 * directly), waiting in the 3-month check-in's delay: that delay ends the
 * journey as "repurchased" when the client buys again.
 */
async function clientInFollowUp(ws: string, deal: string) {
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  await insertJourney(env.DB, { id: journeyId, workspaceId: ws, dealId: deal, workflow: "process" });
  const instance = await watchJourney(journeyId);
  await env.JOURNEYS.create({
    id: journeyId,
    params: { workspaceId: ws, journeyId, dealId: deal, templateVersion: 0, startPhase: "follow_up", startedBy: null },
  });
  // The delay's wait is no step with a result: its timeline row, due in three months, says it has begun.
  await vi.waitFor(
    async () => {
      const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === "follow_up.check-in-3m");
      expect(row?.dueAt).toBeTruthy();
    },
    { timeout: 10_000 },
  );
  expect(await findJourney(env.DB, journeyId)).toMatchObject({ phase: "follow_up", contactId: `9${deal}` });
  return { email, journeyId, instance, contactId: `9${deal}` };
}

/** The client's journey still waits in its follow-up delay: not ended, the check-in still due. */
async function expectStillFollowingUp(journeyId: string) {
  expect(await findJourney(env.DB, journeyId)).toMatchObject({ phase: "follow_up", status: "running" });
  // (The local runtime reports an instance parked in a wait as "running".)
  expect(["running", "waiting"]).toContain((await (await env.JOURNEYS.get(journeyId)).status()).status);
  const row = (await listSteps(env.DB, journeyId)).find((s) => s.name === "follow_up.check-in-3m");
  expect(row).toMatchObject({ status: "waiting" });
}

describe("a lead form with a client's address cannot end the client's follow-up", () => {
  it("the form's deal (even before our journal has it) ends nothing; the owner winning that deal does", async () => {
    const [ws, portal] = ["ws-lead-repurchase", "4410120"];
    await connectWorkspace(env, ws, portal);
    const client = await clientInFollowUp(ws, "8120");
    await using _client = client.instance;

    // Anyone who knows the client's address submits the public form with it.
    const token = await formToken(ws);
    const leadId = await leadIdOf(ws, token);
    await using lead = await watchLead(leadId);
    const submitted = await postLead(ws, { ...leadFields({ email: client.email, name: "Not Grace" }), _token: token });
    expect(submitted.status).toBe(200);
    await lead.waitForStepResult(LEAD_ANSWERED);
    const leadDeal = (await findLead(env.DB, leadId))?.hubspotDealId ?? "";
    // The lead's deal is the client's contact's (found by address), as HubSpot would associate it.
    expect(world.hubspot.deals.get(leadDeal)?.contactIds).toEqual([client.contactId]);

    // The race: HubSpot's deal.creation arrives before our journal of own writes records the create.
    await env.DB.prepare("DELETE FROM hubspot_own_writes WHERE object_id = ?").bind(leadDeal).run();
    await using tasks = await introspectWorkflow(env.TASKS);
    await tasks.modifyAll(async (m) => m.disableRetryDelays());
    const delivered = await postHubspot(dealCreation(portal, leadDeal, 99120));
    expect(await intakeTally(delivered)).toMatchObject({ received: 1, dispatched: 1 });
    const [task] = await tasks.get();
    if (!task) throw new Error("the deal check's task expected");
    await task.waitForStatus("complete");
    await expectStillFollowingUp(client.journeyId);
    // Decided on the deal as read (one GET), with the properties that say who made it.
    const reads = world.hubspot.requests.matching("GET", `/crm/v3/objects/deals/${leadDeal}`);
    expect(reads.at(-1)?.search.get("properties")).toBe("hs_object_source,hs_object_source_id,clientflow_lead_id");

    // A deal our app made through the API under one of its OAuth tokens (HubSpot, as emulated, stamps the record
    // source INTEGRATION and the app's id) is ours too, though it carries no lead id and our journal lacks it.
    const appToken = world.hubspot.oauth.mint({ hubId: Number(portal) }).access_token;
    const made = await fetch(`${B.HUBSPOT_API_BASE}/crm/v3/objects/deals`, {
      method: "POST",
      headers: { authorization: `Bearer ${appToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        properties: { dealname: "Made by the app", dealstage: "appointmentscheduled", pipeline: "default" },
        associations: [
          { to: { id: client.contactId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }] },
        ],
      }),
    });
    expect(made.status).toBe(201);
    const appDeal = ((await made.json()) as { id: string }).id;
    expect(await onDealCreated({ ...env, HUBSPOT_APP_ID: world.hubspot.appId }, ws, appDeal)).toBe(
      "own_deal:clientflow",
    );
    // The decision read those properties back from HubSpot's answer to its GET.
    const read = world.hubspot.requests.matching("GET", `/crm/v3/objects/deals/${appDeal}`).at(-1);
    expect(read?.search.get("properties")).toBe("hs_object_source,hs_object_source_id,clientflow_lead_id");
    await expectStillFollowingUp(client.journeyId);

    // The owner closes the form's deal as won: that is a sale, and the client's follow-up ends.
    const priced = world.hubspot.deals.get(leadDeal);
    if (priced) Object.assign(priced.properties, { amount: "900", dealstage: "closedwon", closedate: "2026-11-24" });
    const won = await postHubspot(JSON.stringify([dealStageEvent(portal, leadDeal, "closedwon", 99121)]));
    expect(await intakeTally(won)).toMatchObject({ received: 1, started: 0 });
    await client.instance.waitForStatus("complete");
    expect(await client.instance.getOutput()).toMatchObject({ status: "repurchased", phase: "follow_up" });
    // The lead's own journey took the won deal (it onboards the client); no third journey.
    expect(await count(env, "webhook_events", "journey_id = ? AND outcome = 'signalled'", leadId)).toBe(1);
    expect(await count(env, "journeys", "workspace_id = ?", ws)).toBe(2);
  });

  it("who made a deal: our lead stamp or our app's record source is Clientflow; anything else the business", async () => {
    const ws = "ws-deal-maker";
    const deal = (id: string, properties: Record<string, string>) => ({ id, properties });
    const app = { ...env, HUBSPOT_APP_ID: "1160452" };
    expect(await dealMaker(app, ws, deal("1", { clientflow_lead_id: "lead-1" }))).toBe("clientflow");
    expect(
      await dealMaker(app, ws, deal("2", { hs_object_source: "INTEGRATION", hs_object_source_id: "1160452" })),
    ).toBe("clientflow");
    expect(await dealMaker(app, ws, deal("3", { hs_object_source: "API", hs_object_source_id: "1160452" }))).toBe(
      "clientflow",
    );
    // Another app (the business's own tools), the CRM UI, or no app id configured: the business's deal.
    const other = { hs_object_source: "INTEGRATION", hs_object_source_id: "99" };
    expect(await dealMaker(app, ws, deal("4", other))).toBe("business");
    expect(await dealMaker(app, ws, deal("5", { hs_object_source: "CRM_UI", hs_object_source_id: "1160452" }))).toBe(
      "business",
    );
    const ours = { hs_object_source: "INTEGRATION", hs_object_source_id: "1160452" };
    expect(await dealMaker({ ...env, HUBSPOT_APP_ID: "" }, ws, deal("6", ours))).toBe("business");
  });
});
