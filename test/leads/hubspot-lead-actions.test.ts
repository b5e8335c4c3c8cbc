import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { StepIdentity } from "../../integrations/core/context";
import { hubspot } from "../../integrations/hubspot";
import { runStepAction } from "../../src/connections/action-context";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

const WS = "ws-lead-actions";
const ctx = (journeyId: string, step: string): StepIdentity => ({
  workspaceId: WS,
  journeyId,
  idempotencyKey: `${journeyId}:${step}`,
});

beforeAll(async () => {
  await connectWorkspace(env, WS, "4430001");
});

describe("hubspot.find-or-create-contact and hubspot.create-deal run twice (a retried step)", () => {
  it("make one contact and one deal, the second run finding what the first made", async () => {
    const { findOrCreateContact, createDeal } = hubspot.actions;
    const contactInput = findOrCreateContact.input.parse({
      email: "retry@client.test",
      firstName: "Rita",
      lastName: "Retry",
      company: null,
      phone: null,
    });
    const first = await runStepAction(env, findOrCreateContact, ctx("lead-a", findOrCreateContact.id), contactInput);
    const second = await runStepAction(env, findOrCreateContact, ctx("lead-a", findOrCreateContact.id), contactInput);
    expect(first).toEqual({ contactId: second.contactId, created: true });
    expect(second.created).toBe(false);
    expect(world.hubspot.contacts.get(first.contactId)).toEqual({
      email: "retry@client.test",
      firstname: "Rita",
      lastname: "Retry",
      // HubSpot's record source for a create under the workspace's (private app) token.
      hs_object_source: "API",
    });

    const dealInput = createDeal.input.parse({
      leadId: "lead-a",
      contactId: first.contactId,
      dealName: "Rita Retry: website inquiry",
      description: null,
    });
    const deal = await runStepAction(env, createDeal, ctx("lead-a", createDeal.id), dealInput);
    const again = await runStepAction(env, createDeal, ctx("lead-a", createDeal.id), dealInput);
    expect(deal).toEqual({
      dealId: again.dealId,
      pipelineId: "default",
      stageId: "appointmentscheduled",
      created: true,
    });
    expect(again).toMatchObject({ created: false, pipelineId: "default", stageId: "appointmentscheduled" });
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/deals")).toHaveLength(1);
    expect(world.hubspot.requests.matching("POST", "/crm/v3/properties/deals")).toHaveLength(1);
    expect(world.hubspot.deals.get(deal.dealId)?.properties).not.toHaveProperty("description");

    // Another lead of the same person is another deal for the same contact.
    const other = await runStepAction(env, createDeal, ctx("lead-b", createDeal.id), {
      ...dealInput,
      leadId: "lead-b",
    });
    expect(other.created).toBe(true);
    expect(other.dealId).not.toBe(deal.dealId);
    expect(world.hubspot.deals.get(other.dealId)?.contactIds).toEqual([first.contactId]);
  });

  it("a HubSpot error other than a duplicate email is not swallowed", async () => {
    const { findOrCreateContact } = hubspot.actions;
    const input = findOrCreateContact.input.parse({
      email: "blocked@client.test",
      firstName: "B",
      lastName: "",
      company: null,
      phone: null,
    });
    const { http, HttpResponse } = await import("msw");
    world.network.use(
      http.post(`${world.hubspot.base}/crm/v3/objects/contacts`, () =>
        HttpResponse.json({ status: "error", message: "Too many requests", category: "RATE_LIMITS" }, { status: 429 }),
      ),
    );
    await expect(
      runStepAction(env, findOrCreateContact, ctx("lead-c", findOrCreateContact.id), input),
    ).rejects.toMatchObject({
      httpStatus: 429,
      retryable: true,
    });
  });
});
