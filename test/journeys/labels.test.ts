import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { stepLabeler } from "../../src/dashboard/journeys/step-labels";
import { markStepAwaiting, markStepFinished, markStepStarted } from "../../src/store/journey-steps";
import { insertJourney, updateJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { defaultProcessTemplate, saveTemplate } from "../../src/store/process-templates";
import { signIn } from "../browser";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

describe("step labels", () => {
  const label = stepLabeler(defaultProcessTemplate());

  it("names a template step and its phase with the template's own words", () => {
    expect(label("onboarding.deposit-invoice")).toEqual({ label: "Invoice the deposit", phase: "Onboarding" });
    expect(label("follow_up.check-in-3m")).toEqual({ label: "Check-in after 3 months", phase: "Follow-up" });
    expect(label("offboarding.survey")).toEqual({ label: "Satisfaction survey", phase: "Off-boarding" });
  });

  it("names a sub-step as the step's name and its part in words", () => {
    expect(label("onboarding.deposit-invoice.customer").label).toBe("Invoice the deposit — Stripe customer");
    expect(label("onboarding.deposit-invoice.invoice").label).toBe("Invoice the deposit — create invoice");
    expect(label("onboarding.deposit-paid.reminder-2").label).toBe("Deposit paid — reminder 2");
    expect(label("onboarding.welcome-email.approval").label).toBe("Welcome email — approval");
    expect(label("onboarding.welcome-email.approval-request").label).toBe("Welcome email — approval request email");
    expect(label("fulfillment.review-ready.check-initial").label).toBe(
      "Milestone: ready for review — card status check",
    );
    expect(label("offboarding.complete-deal.stage").label).toBe("Mark the deal complete — deal stage");
    expect(label("onboarding.deposit-paid.event")).toEqual({
      label: "Deposit paid — event received",
      phase: "Onboarding",
    });
    // A part this version does not know: its dashes become spaces.
    expect(label("onboarding.deposit-invoice.send-it-twice").label).toBe("Invoice the deposit — send it twice");
  });

  it("puts the interpreter's own steps in words", () => {
    expect(label("process.read-deal")).toEqual({ label: "Read the deal from HubSpot", phase: null });
    expect(label("process.load").label).toBe("Load the process template");
    expect(label("process.check-actions").label).toBe("Check that every step can run");
    expect(label("phase.onboarding")).toEqual({ label: "Onboarding phase started", phase: "Onboarding" });
    expect(label("phase.follow_up").label).toBe("Follow-up phase started");
    expect(label("journey.mark-failed").label).toBe("Journey stopped: failed");
    expect(label("journey.complete").label).toBe("Journey complete");
    expect(label("journey.hold#onboarding.kickoff#0")).toEqual({
      label: "Held for your decision: Kickoff meeting",
      phase: "Onboarding",
    });
    expect(label("onboarding.kickoff#reconnect-1").label).toBe("Kickoff meeting — after reconnecting");
  });

  it("puts the fixed onboarding flow's and the lead phase's engine steps in words", () => {
    expect(label("hubspot.get-deal").label).toBe("Read the deal from HubSpot");
    expect(label("stripe.create-invoice").label).toBe("Create the Stripe invoice");
    expect(label("stripe.find-or-create-customer").label).toBe("Find or create the Stripe customer");
    expect(label("gmail.send-welcome-email")).toEqual({ label: "Send the welcome email", phase: null });
    expect(label("gmail.send-payment-reminder-2").label).toBe("Payment reminder 2");
    expect(label("stripe.invoice-paid").label).toBe("Invoice paid");
    expect(label("notion.move-card-in-progress").label).toBe("Move the card to In progress");
    expect(label("process.deal-won")).toEqual({ label: "Wait for the deal to be won", phase: null });
    expect(label("stripe.payment-failed.evt_1.client").label).toBe("Payment failed — email to the client");
  });

  it("keeps an unknown name as it is", () => {
    expect(label("mystery.thing")).toEqual({ label: "mystery.thing", phase: null });
    expect(label("process")).toEqual({ label: "process", phase: null });
    // A phase's step the template does not have: the raw name, still under its phase.
    expect(label("onboarding.not-in-template")).toEqual({ label: "onboarding.not-in-template", phase: "Onboarding" });
  });
});

/** The default template with the owner's own words: same step ids, other names. */
function ownWords(invoiceName: string) {
  const template = structuredClone(defaultProcessTemplate());
  const onboarding = template.phases.find((p) => p.id === "onboarding");
  const invoice = onboarding?.steps.find((s) => s.id === "deposit-invoice");
  if (!onboarding || !invoice) throw new Error("default template changed");
  onboarding.name = "Getting started";
  invoice.name = invoiceName;
  return template;
}

/** A process journey pinned to a template version, as `process.load` leaves it. */
async function pinnedJourney(workspaceId: string, id: string, client: string, version: number) {
  await insertJourney(env.DB, { id, workspaceId, dealId: id.replace(/\D/g, ""), workflow: "process" });
  await updateJourney(env.DB, id, { status: "failed", clientName: client, phase: "onboarding" });
  await env.DB.prepare("UPDATE journeys SET template_id = 'default', template_version = ? WHERE id = ?")
    .bind(version, id)
    .run();
}

interface ApiStep {
  name: string;
  label: string;
  phase: string | null;
}

describe("journey pages and API in the template's words", () => {
  it("shows the journey's own template version's names on the page, the list and the API", async () => {
    const { browser } = await signIn(world, { sub: "owner-labels", email: "labels@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-labels"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410630", { engine: "process" });
    const v1 = await saveTemplate(env.DB, workspaceId, ownWords("Bill the retainer"), "owner-labels");
    // A later edit does not rename the steps of a journey pinned to v1.
    const v2 = await saveTemplate(env.DB, workspaceId, ownWords("Retainer, second wording"), "owner-labels");
    expect([v1, v2]).toEqual([1, 2]);

    await pinnedJourney(workspaceId, "j-label-31", "Lin Labels", v1);
    const ok = (name: string) => markStepFinished(env.DB, "j-label-31", name, { status: "succeeded", result: null });
    await ok("process.read-deal");
    await ok("onboarding.deposit-invoice.customer");
    await markStepStarted(env.DB, "j-label-31", "onboarding.deposit-invoice", 2);
    await markStepFinished(env.DB, "j-label-31", "onboarding.deposit-invoice", {
      status: "failed",
      error: "IntegrationError: stripe answered 400: No such customer",
    });
    await ok("mystery.thing");

    const html = await (await browser.fetch("/journeys/j-label-31")).text();
    expect(html).toContain('<li class="error" data-step="onboarding.deposit-invoice">');
    expect(html).toMatch(/<h3>Bill the retainer<\/h3><span class="mono step-raw">onboarding\.deposit-invoice<\/span>/);
    expect(html).toContain("<h3>Bill the retainer — Stripe customer</h3>");
    expect(html).toContain("<h3>Read the deal from HubSpot</h3>");
    expect(html).toContain('<h3 class="mono">mystery.thing</h3>');
    expect(html).not.toContain("Invoice the deposit");
    expect(html).not.toContain("Retainer, second wording");
    // Grouped by phase: the template's phase name heads its steps; reading the deal comes before any phase.
    expect(html).toContain('<p class="timeline-phase" id="timeline-phase-1">Getting started</p>');
    expect(html.indexOf("Read the deal from HubSpot")).toBeLessThan(html.indexOf("Getting started</p>"));
    // What went wrong names the step in words.
    const card = html.slice(html.indexOf('id="last-error"'), html.indexOf('id="journey-timeline"'));
    expect(card).toContain("In the step <strong>Bill the retainer</strong>");

    const api = (await (await browser.fetch("/api/journeys/j-label-31")).json()) as {
      steps: ApiStep[];
      lastError: { step: string; label: string; summary: string };
    };
    expect(api.steps.map(({ name, label, phase }) => ({ name, label, phase }))).toEqual([
      { name: "process.read-deal", label: "Read the deal from HubSpot", phase: null },
      {
        name: "onboarding.deposit-invoice.customer",
        label: "Bill the retainer — Stripe customer",
        phase: "Getting started",
      },
      { name: "onboarding.deposit-invoice", label: "Bill the retainer", phase: "Getting started" },
      { name: "mystery.thing", label: "mystery.thing", phase: null },
    ]);
    expect(api.lastError).toMatchObject({ step: "onboarding.deposit-invoice", label: "Bill the retainer" });

    // A journey on the built-in default (version 0) and one on v2, in the same list: each in its own words.
    await pinnedJourney(workspaceId, "j-label-32", "Dee Default", 0);
    await markStepAwaiting(env.DB, "j-label-32", "onboarding.deposit-invoice", { waitingFor: "approval" });
    await updateJourney(env.DB, "j-label-32", { status: "waiting" });
    await pinnedJourney(workspaceId, "j-label-33", "Vee Two", v2);
    await markStepAwaiting(env.DB, "j-label-33", "onboarding.deposit-invoice", { waitingFor: "approval" });
    await updateJourney(env.DB, "j-label-33", { status: "waiting" });

    const list = (await (await browser.fetch("/api/journeys")).json()) as {
      journeys: Array<{ id: string; next: { step: string; stepLabel: string; label: string } | null }>;
    };
    const next = Object.fromEntries(list.journeys.map((j) => [j.id, j.next]));
    expect(next["j-label-31"]).toMatchObject({ step: "onboarding.deposit-invoice", stepLabel: "Bill the retainer" });
    expect(next["j-label-32"]).toMatchObject({
      step: "onboarding.deposit-invoice",
      stepLabel: "Invoice the deposit",
      label: "waiting for your approval",
    });
    expect(next["j-label-33"]).toMatchObject({ stepLabel: "Retainer, second wording" });

    const listHtml = await (await browser.fetch("/journeys")).text();
    expect(listHtml).toContain('<span title="onboarding.deposit-invoice">Bill the retainer</span>');
    expect(listHtml).toContain('<span title="onboarding.deposit-invoice">Invoice the deposit</span>');
    expect(listHtml).toContain('<span title="onboarding.deposit-invoice">Retainer, second wording</span>');
  });

  it("documents the labels in the OpenAPI schemas", async () => {
    const { browser } = await signIn(world, { sub: "owner-labels-doc", email: "labels-doc@studio.test" });
    const res = await browser.fetch("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { components: { schemas: Record<string, { properties: object }> } };
    expect(Object.keys(doc.components.schemas.JourneyStep?.properties ?? {})).toEqual(
      expect.arrayContaining(["name", "label", "phase"]),
    );
    expect(Object.keys(doc.components.schemas.JourneyNextStep?.properties ?? {})).toEqual(
      expect.arrayContaining(["step", "stepLabel", "label"]),
    );
  });
});
