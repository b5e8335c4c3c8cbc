import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { messageIdFor } from "../../integrations/google/actions/send-email";
import { actOnStep } from "../../src/dashboard/journeys/journey-actions";
import { saveLeadForm } from "../../src/settings/lead-form";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { findLead } from "../../src/store/leads";
import { captureLogs, connectWorkspace, count, HUBSPOT_TOKEN, SENDER_EMAIL, useWorld } from "../world";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "./lead-helpers";

const world = useWorld();
const logs = captureLogs();

const WS = "ws-leads";
const PORTAL = "4420001";
const BOOKING = "https://cal.example.com/bright/intro";

beforeAll(async () => {
  await connectWorkspace(env, WS, PORTAL);
  await saveLeadForm(env.DB, WS, { bookingUrl: BOOKING });
  // A custom first pipeline whose stages HubSpot lists out of display order.
  world.hubspot.pipelines = [
    {
      id: "7000001",
      label: "Inbound",
      displayOrder: 0,
      stages: [
        { id: "7000013", label: "Proposal", displayOrder: 2 },
        { id: "7000011", label: "New inquiry", displayOrder: 0 },
        { id: "7000012", label: "Discovery call", displayOrder: 1 },
      ],
    },
    {
      id: "default",
      label: "Sales Pipeline",
      displayOrder: 1,
      stages: [{ id: "appointmentscheduled", label: "Appointment scheduled", displayOrder: 0 }],
    },
  ];
});

/** Submits the form as a person would; the lead's journey is watched from its start. */
async function submit(fields: Record<string, string>, ip: string) {
  const token = await formToken(WS);
  const leadId = await leadIdOf(WS, token);
  const instance = await watchLead(leadId);
  const response = await postLead(WS, { ...fields, _token: token }, { ip });
  return { token, leadId, instance, response };
}

describe("lead phase: form → HubSpot contact and deal → auto-reply, in the process interpreter", () => {
  it("records the lead, then creates the contact, the deal in the first stage, and sends the auto-reply", async () => {
    const { leadId, instance, response } = await submit(leadFields(), "203.0.113.50");
    await using _instance = instance;
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`href="${BOOKING}"`);
    expect(await findLead(env.DB, leadId)).toMatchObject({
      workspaceId: WS,
      email: "grace@client.test",
      name: "Grace Hopper",
      company: "Cobol & Co",
      phone: "+1 555 0100",
      source: "form",
    });

    await instance.waitForStepResult(LEAD_ANSWERED);
    const lead = await findLead(env.DB, leadId);
    const output = { contactId: lead?.hubspotContactId ?? "", dealId: lead?.hubspotDealId ?? "" };

    const hs = world.hubspot.requests;
    const [contactSearch] = hs.matching("POST", "/crm/v3/objects/contacts/search");
    expect(contactSearch?.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    expect(contactSearch?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "grace@client.test" }] }],
    });
    const [contactCreate] = hs.matching("POST", "/crm/v3/objects/contacts");
    expect(contactCreate?.body).toEqual({
      properties: {
        email: "grace@client.test",
        firstname: "Grace",
        lastname: "Hopper",
        company: "Cobol & Co",
        phone: "+1 555 0100",
      },
    });
    // The lead-id property is created on first use, then deals are searched by it before one is created.
    expect(hs.matching("POST", "/crm/v3/properties/deals").map((r) => (r.body as { name: string }).name)).toEqual([
      "clientflow_lead_id",
    ]);
    const [dealSearch] = hs.matching("POST", "/crm/v3/objects/deals/search");
    expect(dealSearch?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "clientflow_lead_id", operator: "EQ", value: leadId }] }],
    });
    expect(hs.matching("GET", "/crm/v3/pipelines/deals")).toHaveLength(1);
    const [dealCreate] = hs.matching("POST", "/crm/v3/objects/deals");
    expect(dealCreate?.body).toEqual({
      properties: {
        dealname: "Grace Hopper: new enquiry",
        pipeline: "7000001",
        dealstage: "7000011",
        clientflow_lead_id: leadId,
        description: "We need a brand refresh before our launch in March.",
      },
      associations: [
        {
          to: { id: output.contactId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }],
        },
      ],
    });
    expect(world.hubspot.deals.get(output.dealId)).toMatchObject({
      contactIds: [output.contactId],
      properties: { dealstage: "7000011", pipeline: "7000001" },
    });

    expect(world.google.sent).toHaveLength(1);
    const [reply] = world.google.sent;
    expect(reply?.to).toBe('"Grace Hopper" <grace@client.test>');
    expect(reply?.from).toBe(`"Ada at Bright Studio" <${SENDER_EMAIL}>`);
    // The built-in template's auto-reply, with the form's booking link.
    expect(reply?.subject).toBe("Thanks for getting in touch with Bright Studio");
    expect(reply?.messageId).toBe(`<${await messageIdFor(`${leadId}:lead.auto-reply`, SENDER_EMAIL)}>`);
    expect(reply?.messageId).not.toContain(leadId);
    expect(reply?.text).toBe(
      `Hi Grace,\n\nThanks for getting in touch with Bright Studio. Pick a time for a short call: ${BOOKING}\n\nAda at Bright Studio`,
    );
    expect(reply?.html).toContain(BOOKING);

    expect(await findLead(env.DB, leadId)).toMatchObject({
      hubspotContactId: output.contactId,
      hubspotDealId: output.dealId,
      status: "replied",
    });
    // One journey for the lead, in the interpreter: it holds the real deal and waits for it to be won.
    expect(await findJourney(env.DB, leadId)).toMatchObject({
      workflow: "process",
      phase: "lead",
      status: "waiting",
      dealId: output.dealId,
      contactId: output.contactId,
      clientName: "Grace Hopper",
    });
    const steps = await listSteps(env.DB, leadId);
    expect(steps.filter((s) => s.status !== "succeeded")).toEqual([
      expect.objectContaining({ name: "process.deal-won", status: "waiting", waitingFor: "hubspot.deal.won" }),
    ]);
    expect(steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(["lead.find-contact", "lead.create-deal", "lead.auto-reply"]),
    );

    // Ids in the logs, never the person.
    expect(logs.some((l) => l.includes('"msg":"lead.received"') && l.includes(leadId))).toBe(true);
    expect(logs.join("\n")).not.toMatch(/grace@client|Hopper|203\.0\.113|555 0100/);
  });

  it("the same submission twice is one lead, one contact, one deal, one email", async () => {
    world.hubspot.requests.clear();
    const sentBefore = world.google.sent.length;
    const fields = leadFields({ email: "ada@twice.test", name: "Ada Lovelace", company: "" });
    const { token, leadId, instance, response } = await submit(fields, "203.0.113.51");
    await using _instance = instance;
    expect(response.status).toBe(200);
    await instance.waitForStepResult(LEAD_ANSWERED);

    const again = await postLead(WS, { ...fields, _token: token }, { ip: "203.0.113.51" });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Thank you");
    expect(await count(env, "leads", "id = ?", leadId)).toBe(1);
    expect(await count(env, "journeys", "id = ?", leadId)).toBe(1);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/contacts")).toHaveLength(1);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/deals")).toHaveLength(1);
    expect(world.google.sent.length - sentBefore).toBe(1);
    expect(logs.some((l) => l.includes('"msg":"lead.received"') && l.includes('"outcome":"duplicate"'))).toBe(true);
  });

  it("finds an existing contact by email instead of creating one", async () => {
    const contactId = world.hubspot.addContact({ email: "linus@known.test", firstname: "Linus" });
    world.hubspot.requests.clear();
    const { leadId, instance } = await submit(
      leadFields({ email: "Linus@Known.test", name: "Linus Torvalds" }),
      "203.0.113.52",
    );
    await using _instance = instance;
    await instance.waitForStepResult(LEAD_ANSWERED);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/contacts")).toHaveLength(0);
    expect(world.hubspot.contacts.get(contactId)).toEqual({ email: "linus@known.test", firstname: "Linus" });
    const lead = await findLead(env.DB, leadId);
    expect(lead?.hubspotContactId).toBe(contactId);
    expect((await findJourney(env.DB, leadId))?.contactId).toBe(contactId);
    expect(world.hubspot.deals.get(lead?.hubspotDealId ?? "")?.contactIds).toEqual([contactId]);
  });

  it("uses the id from HubSpot's 409 when the search index has not caught up yet", async () => {
    const contactId = world.hubspot.addContact({ email: "margaret@lagging.test" }, { indexed: false });
    world.hubspot.requests.clear();
    const { leadId, instance } = await submit(
      leadFields({ email: "margaret@lagging.test", name: "Margaret Hamilton" }),
      "203.0.113.53",
    );
    await using _instance = instance;
    await instance.waitForStepResult(LEAD_ANSWERED);
    expect((await findLead(env.DB, leadId))?.hubspotContactId).toBe(contactId);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/contacts")).toHaveLength(1);
    expect(await count(env, "journey_steps", "name = ? AND status != 'succeeded'", "lead.create-deal")).toBe(0);
  });

  it("ends the lead's journey when its deal is not won within a year (the wait's timeout path)", async () => {
    const token = await formToken(WS);
    const leadId = await leadIdOf(WS, token);
    await using instance = await watchLead(leadId, { timeOut: ["process.deal-won"] });
    const fields = leadFields({ email: "late@client.test", name: "Lena Late" });
    expect((await postLead(WS, { ...fields, _token: token }, { ip: "203.0.113.55" })).status).toBe(200);
    await instance.waitForStatus("complete");
    expect(await findJourney(env.DB, leadId)).toMatchObject({ phase: "lead", status: "complete" });
    const wait = (await listSteps(env.DB, leadId)).find((s) => s.name === "process.deal-won");
    expect(wait).toMatchObject({ status: "succeeded", result: { skipped: "not won within 365 days" } });
    expect((await findLead(env.DB, leadId))?.status).toBe("replied");
  });

  it("holds the lead for the owner when HubSpot has no deal pipeline (nothing sent); a retry then answers it", async () => {
    const pipelines = world.hubspot.pipelines;
    world.hubspot.pipelines = [];
    const sentBefore = world.google.sent.length;
    try {
      const { leadId, instance } = await submit(
        leadFields({ email: "nopipe@client.test", name: "Barbara Liskov" }),
        "203.0.113.54",
      );
      await using _instance = instance;
      await instance.waitForStepResult({ name: "journey.hold#lead.create-deal#0" });
      expect(await findLead(env.DB, leadId)).toMatchObject({ status: "received", hubspotDealId: null });
      expect(await findJourney(env.DB, leadId)).toMatchObject({ phase: "lead", status: "failed" });
      const [step] = (await listSteps(env.DB, leadId)).filter((s) => s.name === "lead.create-deal");
      expect(step).toMatchObject({ status: "failed", attempts: 1, waitingFor: "operator" });
      expect(step?.lastError).toContain("no deal pipeline");
      expect(world.google.sent.length).toBe(sentBefore);

      // The owner adds a pipeline in HubSpot and retries the step.
      world.hubspot.pipelines = pipelines;
      await actOnStep(env, WS, leadId, "lead.create-deal", "retry", "owner");
      await instance.waitForStepResult(LEAD_ANSWERED);
      expect(await findLead(env.DB, leadId)).toMatchObject({ status: "replied", hubspotDealId: expect.any(String) });
      expect(world.google.sent.length).toBe(sentBefore + 1);
    } finally {
      world.hubspot.pipelines = pipelines;
    }
  });
});
