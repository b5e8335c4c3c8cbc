import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { updateDealStage } from "../../integrations/hubspot/actions/update-deal-stage";
import { runStepAction } from "../../src/connections/action-context";
import { echoReason, OWN_WRITES_RETENTION_MS } from "../../src/intake/hubspot-echo";
import { hubspotLeadId } from "../../src/leads/lead-id";
import { createdByUs, purgeOwnWrites, recordOwnWrites } from "../../src/store/hubspot-own-writes";
import { findLead } from "../../src/store/leads";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "../leads/lead-helpers";
import { connectWorkspace, count, dealStageEvent, postHubspot, useWorld } from "../world";
import { hubspotCreation as creation } from "./hubspot-fixtures";

const world = useWorld();

/** The outcomes the receiver stored for a workspace's HubSpot events, oldest first. */
async function outcomes(workspaceId: string): Promise<(string | null)[]> {
  const { results } = await env.DB.prepare(
    "SELECT outcome FROM webhook_events WHERE provider = 'hubspot' AND workspace_id = ? ORDER BY rowid",
  )
    .bind(workspaceId)
    .all<{ outcome: string | null }>();
  return results.map((r) => r.outcome);
}

const sentTo = (email: string) => world.google.sent.filter((m) => m.to.includes(email));

/** A lead submitted through the hosted form, its lead phase answered: the contact and deal Clientflow created. */
async function formLead(workspaceId: string, portalId: string, email: string) {
  await connectWorkspace(env, workspaceId, portalId);
  const token = await formToken(workspaceId);
  const leadId = await leadIdOf(workspaceId, token);
  await using instance = await watchLead(leadId);
  expect((await postLead(workspaceId, { ...leadFields({ email }), _token: token })).status).toBe(200);
  await instance.waitForStepResult(LEAD_ANSWERED);
  const lead = await findLead(env.DB, leadId);
  return { leadId, contactId: lead?.hubspotContactId ?? "", dealId: lead?.hubspotDealId ?? "" };
}

describe("HubSpot's echo of Clientflow's own writes starts nothing", () => {
  it("a form lead's contact and deal, reported back in both formats, make no second lead", async () => {
    const email = "echo@lead.test";
    const { contactId, dealId } = await formLead("ws-echo-form", "4420001", email);
    expect(contactId).toMatch(/^\d+$/);
    expect(dealId).toMatch(/^\d+$/);
    await using tasks = await introspectWorkflow(env.TASKS);
    const origin = { changeSource: "INTEGRATION", sourceId: "3300117" };
    const response = await postHubspot(
      JSON.stringify([
        // An app's write without its app id (HUBSPOT_APP_ID is unset here): the journal alone recognises them.
        creation("legacy", "contact", "4420001", contactId, 88001, { changeSource: "INTEGRATION" }),
        creation("legacy", "deal", "4420001", dealId, 88002, { changeSource: "INTEGRATION" }),
        creation("generic", "contact", "4420001", contactId, 88003, origin),
        creation("generic", "deal", "4420001", dealId, 88004, origin),
      ]),
    );
    expect(response.status).toBe(200);
    expect(await outcomes("ws-echo-form")).toEqual(["echo", "echo", "echo", "echo"]);
    expect(await tasks.get()).toHaveLength(0);
    expect(await count(env, "journeys", "workspace_id = ?", "ws-echo-form")).toBe(1);
    expect(await count(env, "leads", "workspace_id = ?", "ws-echo-form")).toBe(1);
    expect(sentTo(email)).toHaveLength(1);
  });

  it("a contact someone else created in the CRM still starts a lead", async () => {
    await connectWorkspace(env, "ws-echo-ui", "4420002");
    world.hubspot.contacts.set("6601", { email: "ui@lead.test", firstname: "Uma" });
    await using leads = await introspectWorkflow(env.JOURNEYS);
    const event = creation("generic", "contact", "4420002", "6601", 88011, {
      changeSource: "CRM_UI",
      sourceId: "userId:4711",
    });
    await postHubspot(JSON.stringify([event]));
    expect(await outcomes("ws-echo-ui")).toEqual(["lead_check"]);
    await vi.waitFor(async () => expect(await leads.get()).toHaveLength(1), { timeout: 4000 });
    for (const instance of await leads.get()) await instance.waitForStepResult(LEAD_ANSWERED);
    expect(await findLead(env.DB, await hubspotLeadId("ws-echo-ui", "6601"))).toMatchObject({ status: "replied" });
    expect(sentTo("ui@lead.test")).toHaveLength(1);
  });

  it("a change whose sourceId names Clientflow's HubSpot app is its own, without a journal row", async () => {
    const appEnv = { ...env, HUBSPOT_APP_ID: "3300117" };
    const event = { type: "hubspot.contact.created" as const, contactId: "6699", changeSource: "INTEGRATION" };
    expect(await echoReason(appEnv, "ws-echo-app", { ...event, sourceId: "3300117" })).toBe("own_write");
    expect(await echoReason(appEnv, "ws-echo-app", { ...event, sourceId: "999" })).toBeNull();
    expect(await echoReason(appEnv, "ws-echo-app", { ...event, sourceId: "userId:3300117" })).toBeNull();
    expect(await echoReason(env, "ws-echo-app", { ...event, sourceId: "3300117" })).toBeNull();
    // A won deal is never an echo: a lead's journey waits for it.
    const won = { type: "hubspot.deal.won" as const, dealId: "1", changeSource: "INTEGRATION", sourceId: "3300117" };
    expect(await echoReason(appEnv, "ws-echo-app", won)).toBeNull();
  });
});

describe("HubSpot imports", () => {
  const imported = (portal: string, contactId: string, eventId: number) =>
    creation("generic", "contact", portal, contactId, eventId, { changeSource: "IMPORT", sourceId: "import:771" });

  it("start nothing by default", async () => {
    await connectWorkspace(env, "ws-import-off", "4420003");
    world.hubspot.contacts.set("6602", { email: "imported@lead.test", firstname: "Ian" });
    await using tasks = await introspectWorkflow(env.TASKS);
    await postHubspot(JSON.stringify([imported("4420003", "6602", 88021)]));
    expect(await outcomes("ws-import-off")).toEqual(["import_ignored"]);
    expect(await tasks.get()).toHaveLength(0);
    expect(await count(env, "leads", "workspace_id = ?", "ws-import-off")).toBe(0);
  });

  it("start a lead when the owner opted in", async () => {
    await connectWorkspace(env, "ws-import-on", "4420004", { hubspotImportsStartLeads: true });
    world.hubspot.contacts.set("6603", { email: "optin@lead.test", firstname: "Ola" });
    await using leads = await introspectWorkflow(env.JOURNEYS);
    await postHubspot(JSON.stringify([imported("4420004", "6603", 88031)]));
    expect(await outcomes("ws-import-on")).toEqual(["lead_check"]);
    await vi.waitFor(async () => expect(await leads.get()).toHaveLength(1), { timeout: 4000 });
    for (const instance of await leads.get()) await instance.waitForStepResult(LEAD_ANSWERED);
    expect(sentTo("optin@lead.test")).toHaveLength(1);
  });
});

describe("deal stages", () => {
  it("a stage Clientflow set starts no card sync; one the owner set in HubSpot does", async () => {
    await connectWorkspace(env, "ws-echo-stage", "4420005");
    world.hubspot.deals.set("7705", {
      properties: { dealname: "Site", dealstage: "appointmentscheduled" },
      contactIds: [],
      lineItemIds: [],
    });
    await env.DB.prepare(
      "INSERT INTO journeys (id, workspace_id, deal_id, workflow_instance_id, status) VALUES ('onb-echo-stage', 'ws-echo-stage', '7705', 'onb-echo-stage', 'waiting')",
    ).run();
    const step = { workspaceId: "ws-echo-stage", journeyId: "onb-echo-stage", idempotencyKey: "k", attempt: "1" };
    await runStepAction(env, updateDealStage, step, { dealId: "7705", stage: "presentationscheduled" });
    await using tasks = await introspectWorkflow(env.TASKS);
    const ours = { ...dealStageEvent("4420005", "7705", "presentationscheduled", 88041), changeSource: "INTEGRATION" };
    await postHubspot(JSON.stringify([ours]));
    expect(await outcomes("ws-echo-stage")).toEqual(["echo"]);
    expect(await tasks.get()).toHaveLength(0);

    const theirs = { ...dealStageEvent("4420005", "7705", "decisionmakerboughtin", 88042), changeSource: "CRM_UI" };
    await postHubspot(JSON.stringify([theirs]));
    expect(await outcomes("ws-echo-stage")).toEqual(["echo", "sync_started"]);
    await vi.waitFor(async () => expect(await tasks.get()).toHaveLength(1), { timeout: 4000 });
  });
});

describe("the journal of own writes", () => {
  it("forgets rows older than the retention when purged", async () => {
    const day = 24 * 60 * 60_000;
    const now = Date.now();
    const write = { objectType: "deal" as const, objectId: "9901", property: "", value: "" };
    await recordOwnWrites(env.DB, "ws-echo-purge", [write], now - OWN_WRITES_RETENTION_MS - day);
    await recordOwnWrites(env.DB, "ws-echo-purge", [{ ...write, objectId: "9902" }], now - day);
    expect(await purgeOwnWrites(env.DB, now - OWN_WRITES_RETENTION_MS)).toBe(1);
    expect(await createdByUs(env.DB, "ws-echo-purge", "deal", "9901")).toBe(false);
    expect(await createdByUs(env.DB, "ws-echo-purge", "deal", "9902")).toBe(true);
  });
});
