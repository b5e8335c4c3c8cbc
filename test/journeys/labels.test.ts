import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { stepLabeler } from "../../src/dashboard/journeys/step-labels";
import { processStepLabels } from "../../src/engine/step-labels";
import { defaultProcessTemplate, saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import {
  findStep,
  listSteps,
  markStepAwaiting,
  markStepFinished,
  markStepStarted,
} from "../../src/store/journey-steps";
import { insertJourney, updateJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { startTasks, taskInstanceId } from "../../src/tasks/task-workflow";
import { signIn } from "../browser";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";

const world = useWorld();

describe("step labels", () => {
  const label = processStepLabels(defaultProcessTemplate());

  it("names a template step with the template's own words", () => {
    expect(label("onboarding.deposit-invoice")).toBe("Invoice the deposit");
    expect(label("follow_up.check-in-3m")).toBe("Check-in after 3 months");
    expect(label("offboarding.survey")).toBe("Satisfaction survey");
  });

  it("names a sub-step as the step's name and its part in words", () => {
    expect(label("onboarding.deposit-invoice.customer")).toBe("Invoice the deposit — Stripe customer");
    expect(label("onboarding.deposit-paid.reminder-2")).toBe("Deposit paid — reminder 2");
    expect(label("onboarding.welcome-email.approval")).toBe("Welcome email — approval");
    expect(label("onboarding.welcome-email.approval-request")).toBe("Welcome email — approval request email");
    expect(label("fulfillment.review-ready.check-initial")).toBe("Milestone: ready for review — card status check");
    expect(label("fulfillment.review-ready.check-1")).toBe("Milestone: ready for review — card status check 2");
    expect(label("offboarding.complete-deal.stage")).toBe("Mark the deal complete — deal stage");
    expect(label("onboarding.deposit-paid.event")).toBe("Deposit paid — event received");
    // A part the interpreter has no words for: its dashes become spaces.
    expect(label("onboarding.deposit-invoice.send-it-twice")).toBe("Invoice the deposit — send it twice");
  });

  it("puts the interpreter's own rows in words, even before the template is loaded", () => {
    expect(label("process.read-deal")).toBe("Read the deal from HubSpot");
    expect(label("process.check-actions")).toBe("Check that every step can run");
    const beforeLoad = processStepLabels(null);
    expect(beforeLoad("process.read-deal")).toBe("Read the deal from HubSpot");
    expect(beforeLoad("onboarding.deposit-invoice")).toBeNull();
  });

  it("has no words for a name it does not know", () => {
    expect(label("mystery.thing")).toBeNull();
    expect(label("process")).toBeNull();
    expect(label("onboarding.not-in-template")).toBeNull();
  });

  it("shows a row's stored label; a row from before labels were stored gets the template's words, or its name", () => {
    const show = stepLabeler(defaultProcessTemplate());
    expect(show({ name: "onboarding.deposit-invoice", label: "Bill the retainer" })).toEqual({
      label: "Bill the retainer",
      phase: "Onboarding",
    });
    expect(show({ name: "onboarding.deposit-invoice.customer", label: null })).toEqual({
      label: "Invoice the deposit — Stripe customer",
      phase: "Onboarding",
    });
    expect(show({ name: "process.read-deal", label: null })).toEqual({
      label: "Read the deal from HubSpot",
      phase: null,
    });
    expect(show({ name: "mystery.thing", label: null })).toEqual({ label: "mystery.thing", phase: null });
    // A phase's step the template does not have: the raw name, still under its phase.
    expect(show({ name: "onboarding.not-in-template", label: null })).toEqual({
      label: "onboarding.not-in-template",
      phase: "Onboarding",
    });
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
    await connectWorkspace(env, workspaceId, "4410630");
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
    // A row that stored its label when it opened keeps it, whatever the template says now.
    await markStepStarted(env.DB, "j-label-31", "onboarding.welcome-email", 1, "Welcome email, as first worded");

    const html = await (await browser.fetch("/journeys/j-label-31")).text();
    expect(html).toContain('<li class="error" data-step="onboarding.deposit-invoice">');
    expect(html).toMatch(/<h3>Bill the retainer<\/h3><span class="mono step-raw">onboarding\.deposit-invoice<\/span>/);
    expect(html).toContain("<h3>Bill the retainer — Stripe customer</h3>");
    expect(html).toContain("<h3>Read the deal from HubSpot</h3>");
    expect(html).toContain('<h3 class="mono">mystery.thing</h3>');
    expect(html).toContain("<h3>Welcome email, as first worded</h3>");
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
      { name: "onboarding.welcome-email", label: "Welcome email, as first worded", phase: "Getting started" },
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

describe("labels stored by a running journey", () => {
  it("opens each row with the words of the template the journey runs, and keeps them after an edit", async () => {
    const { browser } = await signIn(world, { sub: "owner-labels-run", email: "labels-run@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-labels-run"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410631");
    await saveTemplate(env.DB, workspaceId, ownWords("Bill the retainer"), "owner-labels-run");
    addWonDeal(world, "8631");
    const journeyId = await onboardingJourneyId(workspaceId, "8631");
    await using instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await postHubspot(JSON.stringify([dealStageEvent("4410631", "8631", "closedwon", 86310)]));
    await instance.waitForStepResult({ name: "onboarding.kickoff" });
    await vi.waitFor(async () =>
      expect(await findStep(env.DB, journeyId, "onboarding.agreement-signed")).not.toBeNull(),
    );

    const stored = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s.label]));
    expect(stored).toMatchObject({
      "process.read-deal": "Read the deal from HubSpot",
      "onboarding.deposit-invoice.customer": "Bill the retainer — Stripe customer",
      "onboarding.deposit-invoice": "Bill the retainer",
      "onboarding.welcome-email": "Welcome email",
      "onboarding.agreement-signed": "Agreement accepted",
    });

    // The owner renames the step in a later version: this journey's rows keep the words they opened with.
    // (Pointed at that version, the dashboard would word rows without a label from it: these have theirs.)
    const v2 = await saveTemplate(env.DB, workspaceId, ownWords("Retainer, second wording"), "owner-labels-run");
    await env.DB.prepare("UPDATE journeys SET template_version = ? WHERE id = ?").bind(v2, journeyId).run();
    const html = await (await browser.fetch(`/journeys/${journeyId}`)).text();
    expect(html).toContain("<h3>Bill the retainer</h3>");
    expect(html).toContain("<h3>Bill the retainer — Stripe customer</h3>");
    expect(html).not.toContain("Retainer, second wording");
  });
});

describe("labels of a journey's follow-up tasks", () => {
  it("opens a task's rows with the words its starter gave it", async () => {
    const ws = "ws-labels-tasks";
    await connectWorkspace(env, ws, "4410632");
    await insertJourney(env.DB, { id: "j-label-tasks", workspaceId: ws, dealId: "8632", workflow: "process" });
    const id = await taskInstanceId(ws, "evt_label_1");
    await using tasks = await introspectWorkflowInstance(env.TASKS, id);
    await startTasks(env, "evt_label_1", {
      workspaceId: ws,
      journeyId: "j-label-tasks",
      fromName: "Bright Studio",
      tasks: [
        {
          kind: "email",
          step: "stripe.payment-failed.evt_label_1.client",
          label: "Payment failed — email to the client",
          to: { name: "Grace", email: "grace@client.test" },
          subject: "Your payment did not go through",
          text: "Pay here.",
        },
      ],
    });
    await tasks.waitForStatus("complete");
    expect(await findStep(env.DB, "j-label-tasks", "stripe.payment-failed.evt_label_1.client")).toMatchObject({
      status: "succeeded",
      label: "Payment failed — email to the client",
    });
  });
});
