import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StepIdentity } from "../../integrations/core/context";
import { IntegrationError } from "../../integrations/core/errors";
import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import { LEAD_ID_PROPERTY } from "../../integrations/hubspot/actions/create-deal";
import { notion } from "../../integrations/notion";
import { surveyMarker } from "../../integrations/notion/actions/record-survey";
import { stripe } from "../../integrations/stripe";
import { runStepAction } from "../../src/connections/action-context";
import { TEST_BINDINGS as B } from "../bindings";
import { connectWorkspace, useWorld } from "../world";
import { loseNextAnswer } from "./lost-answer";

/**
 * Every provider create, when it landed but its answer was lost: the step's
 * first attempt fails, its retry (the next attempt, same idempotency key)
 * finds what the first made and makes nothing new. Counted in the emulators.
 */
const world = useWorld();
const WS = "ws-exactly-once";
afterEach(() => world.stripe.clearFaults());
beforeAll(() => connectWorkspace(env, WS, "4470001"));

/** The step's identity in its `attempt`-th run (the Workflow's attempt within round 0). */
const run = (journeyId: string, step: string, attempt: number): StepIdentity => ({
  workspaceId: WS,
  journeyId,
  idempotencyKey: `${journeyId}:${step}`,
  attempt: `r0a${attempt}`,
});

/** The first run's failure: a retryable provider error, as the Workflow step would see it. */
async function lostRun(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntegrationError);
  expect((error as IntegrationError).retryable).toBe(true);
}

const NOTION_500 = { object: "error", status: 500, code: "internal_server_error", message: "Unexpected error." };

describe("HubSpot creates (no idempotency key in the CRM API: find before create)", () => {
  it("find-or-create-contact: the contact landed, unindexed yet; the retry's 409 names it", async () => {
    const { findOrCreateContact } = hubspot.actions;
    const input = findOrCreateContact.input.parse({
      email: "lost.contact@client.test",
      firstName: "Lou",
      lastName: "Lost",
      company: null,
      phone: null,
    });
    const lost = loseNextAnswer(world, world.hubspot, "post", `${B.HUBSPOT_API_BASE}/crm/v3/objects/contacts`, {
      landed: async (answer) => world.hubspot.unindexed.add(((await answer.json()) as { id: string }).id),
    });
    await lostRun(runStepAction(env, findOrCreateContact, run("lead-c1", findOrCreateContact.id, 1), input));
    const retry = await runStepAction(env, findOrCreateContact, run("lead-c1", findOrCreateContact.id, 2), input);

    expect(lost.applied).toBe(1);
    const stored = [...world.hubspot.contacts].filter(([, c]) => c.email === "lost.contact@client.test");
    expect(stored.map(([id]) => id)).toEqual([retry.contactId]);
    expect(retry.created).toBe(false);
  });

  it("create-deal: the deal landed, unindexed yet; the retry finds it through the contact and creates none", async () => {
    const { createDeal } = hubspot.actions;
    const contactId = world.hubspot.addContact({ email: "lost.deal@client.test" });
    const input = createDeal.input.parse({ leadId: "lead-d1", contactId, dealName: "Lost deal", description: null });
    const lost = loseNextAnswer(world, world.hubspot, "post", `${B.HUBSPOT_API_BASE}/crm/v3/objects/deals`, {
      landed: async (answer) => world.hubspot.unindexed.add(((await answer.json()) as { id: string }).id),
    });
    await lostRun(runStepAction(env, createDeal, run("lead-d1", createDeal.id, 1), input));
    const retry = await runStepAction(env, createDeal, run("lead-d1", createDeal.id, 2), input);

    expect(lost.applied).toBe(1);
    const deals = [...world.hubspot.deals].filter(([, d]) => d.properties[LEAD_ID_PROPERTY] === "lead-d1");
    expect(deals.map(([id]) => id)).toEqual([retry.dealId]);
    expect(retry).toMatchObject({ created: false, pipelineId: "default", stageId: "appointmentscheduled" });
    expect(world.hubspot.requests.matching("POST", "/crm/v3/objects/deals/batch/read")).not.toHaveLength(0);
  });

  it("create-deal: another lead of the same contact is still a deal of its own", async () => {
    const { createDeal } = hubspot.actions;
    const contactId = world.hubspot.addContact({ email: "two.leads@client.test" });
    const first = await runStepAction(env, createDeal, run("lead-d2", createDeal.id, 1), {
      leadId: "lead-d2",
      contactId,
      dealName: "First inquiry",
      description: null,
    });
    world.hubspot.unindexed.add(first.dealId);
    const second = await runStepAction(env, createDeal, run("lead-d3", createDeal.id, 1), {
      leadId: "lead-d3",
      contactId,
      dealName: "Second inquiry",
      description: null,
    });
    expect(second.created).toBe(true);
    expect(second.dealId).not.toBe(first.dealId);
    expect(world.hubspot.deals.get(second.dealId)?.contactIds).toEqual([contactId]);
  });

  it("update-deal: the property create and the PATCH landed unanswered; the retry finds the property and writes the same", async () => {
    world.hubspot.addDeal("7701", { properties: { dealname: "Patched", dealstage: "closedwon" } });
    const input = { dealId: "7701", properties: { clientflow_project_url: "https://notion.test/p/7701" } };
    const created = loseNextAnswer(world, world.hubspot, "post", `${B.HUBSPOT_API_BASE}/crm/v3/properties/deals`);
    await lostRun(runStepAction(env, hubspot.actions.updateDeal, run("onb-h1", "onboarding.update-deal", 1), input));
    const patched = loseNextAnswer(world, world.hubspot, "patch", `${B.HUBSPOT_API_BASE}/crm/v3/objects/deals/7701`);
    await lostRun(runStepAction(env, hubspot.actions.updateDeal, run("onb-h1", "onboarding.update-deal", 2), input));
    await runStepAction(env, hubspot.actions.updateDeal, run("onb-h1", "onboarding.update-deal", 3), input);

    expect([created.applied, patched.applied]).toEqual([1, 1]);
    const propertyCreates = world.hubspot.requests
      .matching("POST", "/crm/v3/properties/deals")
      .filter((r) => (r.body as { name: string }).name === "clientflow_project_url");
    expect(propertyCreates).toHaveLength(1);
    expect(world.hubspot.deals.get("7701")?.properties.clientflow_project_url).toBe("https://notion.test/p/7701");
  });
});

describe("Notion creates (no idempotency key in the API: find before create)", () => {
  const cardInput = {
    title: "Lost card",
    status: "Onboarding",
    clientName: "Lou Lost",
    dealUrl: "https://app.hubspot.test/deal/1",
    invoiceUrl: "https://invoice.stripe.test/i/1",
    dueDate: "2026-12-20",
    checklist: ["Agreement accepted"],
  };

  it("create-project-card: the page landed; the retry queries the board, finds it and creates none", async () => {
    const { createProjectCard } = notion.actions;
    const lost = loseNextAnswer(world, world.notion, "post", `${B.NOTION_API_BASE}/v1/pages`, { body: NOTION_500 });
    await lostRun(runStepAction(env, createProjectCard, run("onb-n1", "onboarding.card", 1), cardInput));
    const retry = await runStepAction(env, createProjectCard, run("onb-n1", "onboarding.card", 2), cardInput);

    expect(lost.applied).toBe(1);
    const cards = [...world.notion.pages.keys()].filter((id) => world.notion.value(id, "Clientflow ID") === "onb-n1");
    expect(cards).toEqual([retry.pageId]);
    expect(retry.created).toBe(false);
  });

  it("record-survey: the block landed; the retry finds its marker among the card's children and appends none", async () => {
    const card = await runStepAction(env, notion.actions.createProjectCard, run("onb-n2", "onboarding.card", 1), {
      ...cardInput,
      checklist: [],
    });
    const survey = { id: "survey-n2", score: 8, comment: "Good" };
    const step = "offboarding.record-survey";
    const lost = loseNextAnswer(
      world,
      world.notion,
      "patch",
      `${B.NOTION_API_BASE}/v1/blocks/${card.pageId}/children`,
      {
        body: NOTION_500,
      },
    );
    await lostRun(
      runStepAction(env, notion.actions.recordSurvey, run("onb-n2", step, 1), { pageId: card.pageId, survey }),
    );
    const retry = await runStepAction(env, notion.actions.recordSurvey, run("onb-n2", step, 2), {
      pageId: card.pageId,
      survey,
    });

    expect(lost.applied).toBe(1);
    const marked = (world.notion.pages.get(card.pageId)?.children ?? []).filter((block) =>
      JSON.stringify(block).includes(surveyMarker("survey-n2")),
    );
    expect(marked).toHaveLength(1);
    expect(retry.created).toBe(false);
  });
});

describe("Google Calendar (a client-supplied event id: a repeat is a 409)", () => {
  it("create-event: the event landed; the retry reads it by its id and inserts (invites) nothing again", async () => {
    const { createEvent } = google.actions;
    const input = createEvent.input.parse({
      title: "Kickoff",
      start: "2026-12-02T15:00:00.000Z",
      durationMinutes: 30,
      attendee: { email: "lou@client.test", name: "Lou Lost" },
    });
    const lost = loseNextAnswer(
      world,
      world.google,
      "post",
      `${B.GOOGLE_API_BASE}/calendar/v3/calendars/primary/events`,
      {
        body: { error: { code: 500, message: "Backend Error" } },
      },
    );
    const before = world.google.events.size;
    await lostRun(runStepAction(env, createEvent, run("onb-g1", "onboarding.kickoff", 1), input));
    const retry = await runStepAction(env, createEvent, run("onb-g1", "onboarding.kickoff", 2), input);

    expect(lost.applied).toBe(1);
    expect(world.google.events.size).toBe(before + 1);
    expect(world.google.events.get(retry.eventId)).toMatchObject({ summary: "Kickoff" });
    const inserts = world.google.requests.matching("POST", "/calendar/v3/calendars/primary/events");
    expect(inserts.map((r) => (r.body as { id: string }).id)).toEqual([retry.eventId]);
  });
});

describe("Stripe (Idempotency-Key per attempt, and find before create: keys expire after 24 hours)", () => {
  it("find-or-create-customer: the customer landed; the retry lists by email, finds it and creates none", async () => {
    const { findOrCreateCustomer } = stripe.actions;
    const input = { email: "lost.customer@client.test", name: "Lou Lost", hubspotContactId: "101" };
    const fault = world.stripe.failNext("POST", "/v1/customers", { afterExecuting: true });
    await lostRun(runStepAction(env, findOrCreateCustomer, run("onb-s1", "onboarding.invoice.customer", 1), input));
    const retry = await runStepAction(
      env,
      findOrCreateCustomer,
      run("onb-s1", "onboarding.invoice.customer", 2),
      input,
    );

    expect(fault.hits).toBe(1);
    const stored = [...world.stripe.customers.values()].filter((c) => c.email === "lost.customer@client.test");
    expect(stored.map((c) => c.id)).toEqual([retry.customerId]);
    expect(retry.created).toBe(false);
  });

  it("void-invoice: the void landed; the retry reads the invoice void and voids nothing again", async () => {
    const customer = await runStepAction(env, stripe.actions.findOrCreateCustomer, run("onb-s2", "c", 1), {
      email: "void@client.test",
      name: "Vi Void",
      hubspotContactId: "102",
    });
    const invoice = await runStepAction(env, stripe.actions.createInvoice, run("onb-s2", "onboarding.invoice", 1), {
      customerId: customer.customerId,
      currency: "usd",
      daysUntilDue: 14,
      description: "Deposit",
      lines: [{ description: "Deposit", amount: 50_000 }],
      metadata: {},
    });
    const path = `/v1/invoices/${invoice.invoiceId}/void`;
    const fault = world.stripe.failNext("POST", path, { afterExecuting: true });
    const input = { invoiceId: invoice.invoiceId };
    await lostRun(runStepAction(env, stripe.actions.voidInvoice, run("onb-s2", "cancel.void", 1), input));
    const retry = await runStepAction(env, stripe.actions.voidInvoice, run("onb-s2", "cancel.void", 2), input);

    expect(fault.hits).toBe(1);
    expect(retry.outcome).toBe("voided");
    expect(world.stripe.invoices.get(invoice.invoiceId)?.status).toBe("void");
    expect(world.stripe.requests.matching("POST", path)).toHaveLength(1);
  });
});
