import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { saveTemplate } from "../../src/engine/templates";
import { findLead } from "../../src/store/leads";
import { connectWorkspace, useWorld } from "../world";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "./lead-helpers";

const world = useWorld();

/** The default template with the lead phase's auto-reply rewritten, or removed. */
function withLeadReply(reply: { subject: string; body: string } | null) {
  const t = structuredClone(DEFAULT_TEMPLATE);
  const lead = t.phases.find((p) => p.id === "lead");
  if (!lead) throw new Error("lead phase expected");
  lead.steps = lead.steps.flatMap((s) => (s.id !== "auto-reply" ? [s] : reply ? [{ ...s, inputs: reply }] : []));
  return t;
}

async function submitLead(ws: string, email: string) {
  const token = await formToken(ws);
  const leadId = await leadIdOf(ws, token);
  const instance = await watchLead(leadId);
  const response = await postLead(ws, { ...leadFields({ email }), _token: token }, { ip: "203.0.113.90" });
  expect(response.status).toBe(200);
  return { leadId, instance };
}

describe("the saved template's lead phase drives the auto-reply", () => {
  it("sends the owner's auto-reply with the process merge fields", async () => {
    await connectWorkspace(env, "ws-lead-template", "4410090");
    await saveTemplate(
      env.DB,
      "ws-lead-template",
      withLeadReply({
        // The visitor's own text stays out of the subject (validate-template.ts); the body may greet them.
        subject: "Thanks for reaching {{business.name}}",
        body: "{{client.firstName}}, book your free call: {{links.booking}}\n\n{{business.senderName}}",
      }),
      "owner",
    );
    const { leadId, instance } = await submitLead("ws-lead-template", "ada@lead.test");
    await using _instance = instance;
    await instance.waitForStepResult(LEAD_ANSWERED);
    const sent = world.google.sent.filter((m) => m.to.includes("ada@lead.test"));
    expect(sent.map((m) => m.subject)).toEqual(["Thanks for reaching Bright Studio"]);
    expect(sent[0]?.text).toMatch(/^Grace, book your free call: https?:\/\/\S+\n\nAda at Bright Studio$/);
    expect((await findLead(env.DB, leadId))?.hubspotDealId).toBeTruthy();
  });

  it("sends no auto-reply when the owner removed it, but still records contact and deal", async () => {
    await connectWorkspace(env, "ws-lead-quiet", "4410091");
    await saveTemplate(env.DB, "ws-lead-quiet", withLeadReply(null), "owner");
    const { leadId, instance } = await submitLead("ws-lead-quiet", "quiet@lead.test");
    await using _instance = instance;
    await instance.waitForStepResult(LEAD_ANSWERED);
    expect(world.google.sent.filter((m) => m.to.includes("quiet@lead.test"))).toHaveLength(0);
    const lead = await findLead(env.DB, leadId);
    expect(lead?.hubspotContactId).toBeTruthy();
    expect(lead?.hubspotDealId).toBeTruthy();
    expect(lead?.status).toBe("in_crm");
  });
});
