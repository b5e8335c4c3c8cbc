import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { messageIdFor } from "../../integrations/google/actions/send-email";
import { PRESETS } from "../../src/engine/presets";
import { validateTemplate } from "../../src/engine/validate-template";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import {
  captureLogs,
  connectWorkspace,
  dealStageEvent,
  GOOGLE_REFRESH,
  HUBSPOT_TOKEN,
  intakeOutcomes,
  intakeTally,
  NOTION_BOARD,
  NOTION_TOKEN,
  postHubspot,
  postStripe,
  SENDER_EMAIL,
  STRIPE_KEY,
  useWorld,
  watchJourney,
} from "../world";

const world = useWorld();
const logs = captureLogs();

const WS = "ws-onboarding";
const PORTAL = "4410001";
const DEAL = "5001";

function addBrandSprintDeal(dealId: string) {
  world.hubspot.addDeal(dealId, {
    properties: {
      dealname: "Brand sprint",
      amount: "2400",
      dealstage: "closedwon",
      closedate: "2026-11-20T10:00:00.000Z",
      deal_currency_code: "USD",
      description: "Four weekly strategy sessions and a brand guide",
    },
    contact: { email: "grace@client.test", firstname: "Grace", lastname: "Hopper", company: "Cobol & Co" },
    lineItems: [
      { name: "Strategy session", quantity: "4", price: "500" },
      { name: "Brand guide", quantity: "1", price: "400" },
    ],
  });
}

describe("onboarding journey (the onboarding preset): HubSpot closed-won → Stripe + Notion + Gmail + HubSpot → paid", () => {
  it("the preset is a valid template: onboarding, then fulfillment's first step", () => {
    const result = validateTemplate(PRESETS.onboarding);
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.template.phases.map((p) => p.steps.map((s) => `${p.id}.${s.id}`))).toEqual([
      [
        "onboarding.invoice",
        "onboarding.project-card",
        "onboarding.welcome-email",
        "onboarding.update-deal",
        "onboarding.payment",
      ],
      ["fulfillment.start-work"],
    ]);
  });

  it("runs every step with the exact outbound requests; paid, the card moves to In progress", async () => {
    await connectWorkspace(env, WS, PORTAL, { template: "onboarding" });
    addBrandSprintDeal(DEAL);
    const journeyId = await onboardingJourneyId(WS, DEAL);
    await using instance = await watchJourney(journeyId);

    const response = await postHubspot(JSON.stringify([dealStageEvent(PORTAL, DEAL, "closedwon", 90001)]));
    expect(response.status).toBe(200);
    expect(await intakeTally(response)).toEqual({
      received: 1,
      started: 1,
      dispatched: 0,
      duplicates: 0,
      ignored: 0,
      unknownTenant: 0,
    });

    await instance.waitForStepResult({ name: "onboarding.update-deal" });

    // HubSpot reads: deal with associations, contact, line items; all with the connection's token.
    const hs = world.hubspot.requests;
    const [dealRead] = hs.matching("GET", `/crm/v3/objects/deals/${DEAL}`);
    expect(dealRead?.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
    expect(dealRead?.search.get("associations")).toBe("contacts,line_items");
    expect(dealRead?.search.get("properties")?.split(",")).toEqual(
      expect.arrayContaining(["dealname", "amount", "closedate"]),
    );
    expect(hs.matching("GET", `/crm/v3/objects/contacts/9${DEAL}`)).toHaveLength(1);
    const [batch] = hs.matching("POST", "/crm/v3/objects/line_items/batch/read");
    expect(batch?.body).toMatchObject({ inputs: [{ id: `7${DEAL}0` }, { id: `7${DEAL}1` }] });

    // Stripe: customer by email, then created under the step's idempotency key and attempt.
    const st = world.stripe.requests;
    const [customerList] = st.matching("GET", "/v1/customers");
    expect(customerList?.search.get("email")).toBe("grace@client.test");
    expect(customerList?.headers.authorization).toBe(`Bearer ${STRIPE_KEY}`);
    const [customerCreate] = st.matching("POST", "/v1/customers");
    expect(customerCreate?.headers["idempotency-key"]).toBe(`${journeyId}:onboarding.invoice.customer:r0a1`);
    expect(customerCreate?.body).toMatchObject({ email: "grace@client.test", name: "Grace Hopper" });
    const [invoiceCreate] = st.matching("POST", "/v1/invoices");
    expect(invoiceCreate?.headers["idempotency-key"]).toBe(`${journeyId}:onboarding.invoice:invoice:r0a1`);
    expect(invoiceCreate?.body).toMatchObject({
      collection_method: "send_invoice",
      days_until_due: "7",
      currency: "usd",
      pending_invoice_items_behavior: "exclude",
      "metadata[clientflow_journey_id]": journeyId,
      "metadata[clientflow_workspace_id]": WS,
      "metadata[hubspot_deal_id]": DEAL,
      "metadata[clientflow_step]": "onboarding.invoice",
    });
    const items = st.matching("POST", "/v1/invoiceitems");
    expect(items.map((r) => r.body)).toEqual([
      expect.objectContaining({ amount: "200000", description: "Strategy session × 4", currency: "usd" }),
      expect.objectContaining({ amount: "40000", description: "Brand guide", currency: "usd" }),
    ]);
    expect(items.map((r) => r.headers["idempotency-key"])).toEqual([
      `${journeyId}:onboarding.invoice:item:0:r0a1`,
      `${journeyId}:onboarding.invoice:item:1:r0a1`,
    ]);
    const [invoice] = [...world.stripe.invoices.values()];
    expect(invoice?.status).toBe("open");
    expect(invoice?.amount_due).toBe(240000);
    expect(st.matching("POST", `/v1/invoices/${invoice?.id}/finalize`)[0]?.headers["idempotency-key"]).toBe(
      `${journeyId}:onboarding.invoice:finalize:r0a1`,
    );

    // Notion: the card in the board with the onboarding checklist. A first run has no earlier card of its own
    // to find, so no search-before-create (test/providers/exactly-once.test.ts covers the retry's search).
    const no = world.notion.requests;
    expect(no.matching("POST", `/v1/data_sources/${NOTION_BOARD}/query`)).toEqual([]);
    const [pageCreate] = no.matching("POST", "/v1/pages");
    expect(pageCreate?.headers.authorization).toBe(`Bearer ${NOTION_TOKEN}`);
    expect(pageCreate?.headers["notion-version"]).toBe("2025-09-03");
    const [card] = [...world.notion.pages.values()];
    if (!card || !invoice) throw new Error("card and invoice expected");
    expect(world.notion.value(card.id, "Name")).toBe("Brand sprint");
    expect(world.notion.value(card.id, "Status")).toBe("Onboarding");
    expect(world.notion.value(card.id, "Client")).toBe("Grace Hopper");
    expect(world.notion.value(card.id, "Invoice")).toBe(invoice.hosted_invoice_url);
    expect(world.notion.value(card.id, "Deal")).toBe(`${B.HUBSPOT_APP_BASE}/contacts/${PORTAL}/record/0-3/${DEAL}`);
    expect(world.notion.value(card.id, "Due")).toBe("2026-12-20");
    expect(card.children).toHaveLength(5);
    expect(card.children[0]).toMatchObject({ type: "to_do", to_do: { checked: false } });

    // Google: the access token comes from the refresh token; the welcome email has the four parts.
    const [refresh] = world.google.requests.matching("POST", "/token");
    expect(refresh?.body).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: GOOGLE_REFRESH,
      client_id: B.GOOGLE_CLIENT_ID,
    });
    expect(world.google.sent).toHaveLength(1);
    const [welcome] = world.google.sent;
    expect(welcome?.to).toBe('"Grace Hopper" <grace@client.test>');
    expect(welcome?.from).toBe(`"Ada at Bright Studio" <${SENDER_EMAIL}>`);
    expect(welcome?.subject).toBe("Welcome, Grace: your next steps for Brand sprint");
    // The client sees the Message-ID: a digest of the step at the sender's domain, never the journey id.
    expect(welcome?.messageId).toBe(`<${await messageIdFor(`${journeyId}:onboarding.welcome-email`, SENDER_EMAIL)}>`);
    expect(welcome?.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(welcome?.text).toContain(
      "1. Your agreement\nPlease read and accept it: https://brightstudio.test/agreement",
    );
    expect(welcome?.text).toContain(`2. Your invoice\n$2,400.00, due `);
    expect(welcome?.text).toContain(invoice.hosted_invoice_url ?? "missing");
    expect(welcome?.text).toContain(
      "3. What we will deliver\nYour engagement starts on 2026-11-20 and is due by 2026-12-20.",
    );
    expect(welcome?.text).toContain("- Strategy session × 4");
    expect(welcome?.text).toContain(
      "4. Next steps\n1. Read and accept the agreement.\n2. Pay the invoice ($2,400.00) by ",
    );
    // The HTML part links the agreement and the invoice.
    expect(welcome?.html).toContain(`<a href="${invoice.hosted_invoice_url}" rel="noopener noreferrer"`);
    expect(welcome?.html).toContain('<a href="https://brightstudio.test/agreement" rel="noopener noreferrer"');

    // HubSpot write-back: the deal patched first, no property read; HubSpot refused it (this account's first
    // write: the Clientflow properties did not exist), they were created, and the same PATCH went again.
    const writeBack = hs.all
      .filter(
        (r) =>
          (r.method === "PATCH" && r.path === `/crm/v3/objects/deals/${DEAL}`) ||
          r.path.startsWith("/crm/v3/properties/deals"),
      )
      .map((r) => `${r.method} ${r.method === "POST" ? (r.body as { name: string }).name : r.path}`);
    expect(writeBack.slice(0, 5)).toEqual([
      `PATCH /crm/v3/objects/deals/${DEAL}`,
      "POST clientflow_status",
      "POST clientflow_invoice_url",
      "POST clientflow_project_url",
      `PATCH /crm/v3/objects/deals/${DEAL}`,
    ]);
    expect(hs.matching("GET", /^\/crm\/v3\/properties\//)).toEqual([]);
    // One write (sent twice only for the refusal above): the template's phase status falls together with the
    // preset's own step and rides in its PATCH, where the step's own status wins.
    const patches = hs.matching("PATCH", `/crm/v3/objects/deals/${DEAL}`);
    const [refused, patch] = patches;
    expect(patches).toHaveLength(2);
    expect(patches.map((r) => world.hubspot.refused.has(r))).toEqual([true, false]);
    expect(refused?.body).toEqual(patch?.body);
    expect(patch?.body).toEqual({
      properties: {
        clientflow_status: "Onboarding: awaiting payment",
        clientflow_invoice_url: invoice.hosted_invoice_url,
        clientflow_project_url: card.url,
      },
    });

    // The client pays: Stripe's signed invoice.paid reaches the waiting instance.
    const paidEvent = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    const paid = await postStripe(paidEvent);
    expect(paid.status).toBe(200);
    expect(await intakeOutcomes(paid)).toEqual(["signalled"]);

    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toEqual({ status: "complete" });
    expect(world.notion.value(card.id, "Status")).toBe("In progress");
    // Paid, the deal read "Paid: in progress"; then fulfillment started and the phase writeback said so.
    const statuses = hs
      .matching("PATCH", `/crm/v3/objects/deals/${DEAL}`)
      .map((r) => (r.body as { properties: Record<string, string> }).properties.clientflow_status);
    expect(statuses.slice(-2)).toEqual(["Paid: in progress", "In progress"]);
    expect(world.hubspot.deals.get(DEAL)?.properties.clientflow_status).toBe("In progress");

    const journey = await findJourney(env.DB, journeyId);
    expect(journey).toMatchObject({
      phase: "fulfillment",
      status: "complete",
      invoiceId: invoice.id,
      contactId: `9${DEAL}`,
    });
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.filter((s) => s.status !== "succeeded")).toEqual([]);
    expect(steps.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "process.read-deal",
        "onboarding.invoice.customer",
        "onboarding.invoice",
        "onboarding.project-card",
        "onboarding.welcome-email",
        "onboarding.update-deal",
        "onboarding.payment.event",
        "onboarding.payment",
        "fulfillment.start-work",
      ]),
    );

    // Secrets never reach the logs or the database in plain text.
    const stored = await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = ?")
      .bind(WS)
      .all<{ credentials: string }>();
    for (const secret of [HUBSPOT_TOKEN, STRIPE_KEY, NOTION_TOKEN, GOOGLE_REFRESH, "ya29.fake-access"]) {
      expect(logs.join("\n")).not.toContain(secret);
      for (const row of stored.results) expect(row.credentials).not.toContain(secret);
    }
    expect(logs.some((l) => l.includes('"msg":"journey dispatch"'))).toBe(true);
  });
});
