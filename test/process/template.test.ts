import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { getTemplate, saveTemplate, templateForPipeline } from "../../src/engine/templates";
import { validateTemplate } from "../../src/engine/validate-template";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";
import { COACHING_TEMPLATE } from "./coaching-template";

const world = useWorld();

/** A deep copy of the default template to break in one place. */
const draft = () =>
  structuredClone(DEFAULT_TEMPLATE) as { name: string; phases: { id: string; steps: Record<string, unknown>[] }[] };

const errorsOf = (input: unknown) => {
  const result = validateTemplate(input);
  return result.ok ? [] : result.errors;
};

describe("process templates", () => {
  it("ships a default template that covers the five phases and validates", () => {
    const result = validateTemplate(DEFAULT_TEMPLATE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.template.phases.map((p) => p.id)).toEqual([
      "lead",
      "onboarding",
      "fulfillment",
      "offboarding",
      "follow_up",
    ]);
    const actions = result.template.phases.flatMap((p) => p.steps.map((s) => s.action));
    for (const action of [
      "contract.send",
      "stripe.create-invoice",
      "notion.create-project-card",
      "calendar.create-event",
      "survey.send",
    ]) {
      expect(actions).toContain(action);
    }
    const followUps = result.template.phases.find((p) => p.id === "follow_up")?.steps ?? [];
    expect(followUps.map((s) => s.trigger)).toEqual([
      { type: "delay", wait: { amount: 3, unit: "months" }, from: "end" },
      { type: "delay", wait: { amount: 3, unit: "months" }, from: "previous" },
      { type: "delay", wait: { amount: 6, unit: "months" }, from: "previous" },
    ]);
  });

  it("refuses visitor text in a lead-phase email's subject (the form's address is unverified)", () => {
    const t = draft();
    const lead = t.phases.find((p) => p.id === "lead");
    const reply = lead?.steps.find((s) => s.action === "gmail.send-email");
    if (!reply) throw new Error("the default template's lead phase has an auto-reply");
    reply.inputs = { ...(reply.inputs as object), subject: "Thanks, {{client.firstName}}!" };
    expect(errorsOf(t)).toEqual([
      expect.stringMatching(
        /^phases\[0\]\.steps\[\d+\] \(auto-reply\)\.inputs\.subject: .*must not repeat what the visitor typed/,
      ),
    ]);
    // The same subject after the deal is won (a known client) is fine.
    const welcome = t.phases.find((p) => p.id === "onboarding")?.steps.find((s) => s.id === "welcome-email");
    if (!welcome) throw new Error("the default template has a welcome email");
    reply.inputs = { ...(reply.inputs as object), subject: "Thanks for getting in touch" };
    welcome.inputs = { ...(welcome.inputs as object), subject: "Welcome, {{client.firstName}}" };
    expect(errorsOf(t)).toEqual([]);
  });

  it("names an unknown action", () => {
    const t = draft();
    const step = t.phases[1]?.steps[0];
    if (step) step.action = "fax.send-letter";
    expect(errorsOf(t)).toEqual([
      expect.stringMatching(/^phases\.1\.steps\.0\.action: Unknown action fax\.send-letter$/),
    ]);
  });

  it("names an unknown merge field and a step output used before the step runs", () => {
    const t = draft();
    const welcome = t.phases[1]?.steps.find((s) => s.id === "welcome-email") as { inputs: Record<string, string> };
    welcome.inputs.subject = "Hi {{client.nickname}}";
    welcome.inputs.body = "Survey: {{steps.survey.url}} and invoice {{steps.deposit-invoice.total}}";
    expect(errorsOf(t)).toEqual([
      "phases[1].steps[3] (welcome-email).inputs.subject: Unknown merge field {{client.nickname}}",
      "phases[1].steps[3] (welcome-email).inputs.body: {{steps.survey.url}} refers to a step that does not run before this one",
      "phases[1].steps[3] (welcome-email).inputs.body: {{steps.deposit-invoice.total}}: step deposit-invoice has no output total",
      // The edit also dropped the deposit's link: an invoice sent by email that no email carries.
      'phases[1].steps[1] (deposit-invoice).inputs.send: no later email step carries {{steps.deposit-invoice.url}}: add one, or let Stripe send the invoice (send: "stripe")',
    ]);
  });

  it("names the latest invoice's or card's link used before any invoice or card step: it would reach the client blank", () => {
    const t = draft();
    const agreement = t.phases[1]?.steps.find((s) => s.id === "send-agreement") as { inputs: Record<string, string> };
    agreement.inputs.body = "Pay {{invoice.amount}} at {{invoice.url}}; your board: {{project.url}}";
    expect(errorsOf(t)).toEqual([
      "phases[1].steps[0] (send-agreement).inputs.body: {{invoice.amount}} is empty here: no stripe.create-invoice step runs before this one",
      "phases[1].steps[0] (send-agreement).inputs.body: {{invoice.url}} is empty here: no stripe.create-invoice step runs before this one",
      "phases[1].steps[0] (send-agreement).inputs.body: {{project.url}} is empty here: no notion.create-project-card step runs before this one",
    ]);
    // After the deposit invoice and the card, the same fields name them.
    const welcome = t.phases[1]?.steps.find((s) => s.id === "welcome-email") as { inputs: Record<string, string> };
    agreement.inputs.body = "The agreement.";
    welcome.inputs.body += "\nPay {{invoice.amount}} at {{invoice.url}}; your board: {{project.url}}";
    expect(errorsOf(t)).toEqual([]);
  });

  it("names a missing required input, an unknown input and a bad payment plan", () => {
    const t = draft();
    const invoice = t.phases[1]?.steps.find((s) => s.id === "deposit-invoice") as { inputs: Record<string, unknown> };
    invoice.inputs = { percent: 150, colour: "blue" };
    expect(errorsOf(t)).toEqual([
      'phases[1].steps[1] (deposit-invoice): missing required input "amount" for stripe.create-invoice',
      'phases[1].steps[1] (deposit-invoice): unknown input "colour" for stripe.create-invoice',
    ]);
    invoice.inputs = { amount: "deposit", percent: 150 };
    expect(errorsOf(t)).toEqual([
      'phases[1].steps[1] (deposit-invoice): input "percent" must be a number between 1 and 99 for a deposit',
    ]);
  });

  it("finds dependency cycles and unknown references", () => {
    const t = draft();
    const byId = (id: string) => t.phases[3]?.steps.find((s) => s.id === id) as Record<string, unknown>;
    byId("balance-invoice").trigger = { type: "after", steps: ["thank-you"] };
    byId("thank-you").trigger = { type: "after", steps: ["balance-invoice"] };
    byId("survey").trigger = { type: "after", steps: ["no-such-step"] };
    const errors = errorsOf(t);
    expect(errors).toContain("phases[3].steps[2] (survey): runs after unknown step no-such-step");
    expect(errors).toContain("steps form a cycle: balance-invoice → thank-you → balance-invoice");
  });

  it("refuses duplicate step ids and phases out of order", () => {
    const t = draft();
    const [lead, onboarding] = t.phases;
    if (!lead || !onboarding) throw new Error("phases expected");
    t.phases[0] = onboarding;
    t.phases[1] = lead;
    const step = lead.steps[0];
    if (step) step.id = "send-agreement";
    const errors = errorsOf(t);
    expect(errors).toContain(
      "phases: must follow the journey order lead, onboarding, fulfillment, offboarding, follow_up",
    );
    expect(errors).toContain("step send-agreement: the id is used twice");
  });

  it("saves versions append-only: a journey's version stays readable after edits", async () => {
    await upsertWorkspace(env.DB, { id: "ws-templates", name: "T", settings: {} });
    expect((await getTemplate(env.DB, "ws-templates")).version).toBe(0);
    const v1 = await saveTemplate(env.DB, "ws-templates", DEFAULT_TEMPLATE, "owner");
    const edited = draft();
    edited.name = "Coaching journey";
    const v2 = await saveTemplate(env.DB, "ws-templates", edited, "owner");
    expect([v1, v2]).toEqual([1, 2]);
    expect((await getTemplate(env.DB, "ws-templates")).template.name).toBe("Coaching journey");
    expect((await getTemplate(env.DB, "ws-templates", 1)).template.name).toBe("Client journey");
    const broken = draft();
    broken.phases = [];
    await expect(saveTemplate(env.DB, "ws-templates", broken, "owner")).rejects.toThrow("The template has 1 problem");
    expect((await getTemplate(env.DB, "ws-templates")).version).toBe(2);
  });

  it("serves the template API behind the session: read, validate, save (422 listing every problem)", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-templates", email: "t@studio.test" });
    await setOwnerLinks(env, "owner-templates");
    const current = (await (await browser.fetch("/api/process")).json()) as {
      version: number;
      catalog: { actions: object };
    };
    expect(current.version).toBe(0);
    expect(Object.keys(current.catalog.actions)).toContain("contract.send");

    const headers = { "content-type": "application/json", "x-csrf-token": csrf };
    const bad = draft();
    const step = bad.phases[0]?.steps[0];
    if (step) step.action = "nope.nope";
    const check = await browser.fetch("/api/process/validate", { method: "POST", headers, body: JSON.stringify(bad) });
    expect(await check.json()).toEqual({
      ok: false,
      errors: ["phases.0.steps.0.action: Unknown action nope.nope"],
      warnings: [],
    });
    const refused = await browser.fetch("/api/process", { method: "PUT", headers, body: JSON.stringify(bad) });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      error: "invalid_template",
      details: ["phases.0.steps.0.action: Unknown action nope.nope"],
    });
    const malformed = await browser.fetch("/api/process", { method: "PUT", headers, body: "{" });
    expect(malformed.status).toBe(400);
    const noCsrf = await browser.fetch("/api/process", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(noCsrf.status).toBe(403);

    const saved = await browser.fetch("/api/process", {
      method: "PUT",
      headers,
      body: JSON.stringify(DEFAULT_TEMPLATE),
    });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toEqual({ version: 1, warnings: NOT_CONNECTED });
    expect((await browser.fetch("/api/process/versions/1")).status).toBe(200);
    expect((await browser.fetch("/api/process/versions/9")).status).toBe(404);
  });
});

/** An owner who connected nothing: the checks against the accounts are skipped, with these warnings. */
const NOT_CONNECTED = [
  "Card statuses were not checked against Notion: Connect notion first.",
  "Deal pipelines and stages were not checked against HubSpot: Connect hubspot first.",
];

describe("several templates per workspace", () => {
  it("a deal runs the template for its pipeline, else the default; each is versioned on its own", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-multi", email: "multi@studio.test" });
    await setOwnerLinks(env, "owner-multi");
    const headers = { "content-type": "application/json", "x-csrf-token": csrf };
    const coaching = COACHING_TEMPLATE;
    const saved = await browser.fetch("/api/process/templates/coaching", {
      method: "PUT",
      headers,
      body: JSON.stringify(coaching),
    });
    expect(await saved.json()).toEqual({ templateId: "coaching", version: 1, warnings: NOT_CONNECTED });
    const badId = await browser.fetch("/api/process/templates/Not_An_Id", {
      method: "PUT",
      headers,
      body: JSON.stringify(coaching),
    });
    expect(badId.status).toBe(400);
    expect((await browser.fetch("/api/process/templates/nope")).status).toBe(404);
    const overview = (await (await browser.fetch("/api/process")).json()) as { version: number; templates: unknown[] };
    expect(overview.version).toBe(0);
    expect(overview.templates).toEqual([
      { templateId: "coaching", name: "Coaching programme", pipeline: "coaching", version: 1 },
    ]);

    const workspaceId = (
      await env.DB.prepare("SELECT workspace_id FROM owners WHERE google_sub = 'owner-multi'").first<{
        workspace_id: string;
      }>()
    )?.workspace_id;
    if (!workspaceId) throw new Error("workspace expected");
    expect((await templateForPipeline(env.DB, workspaceId, "coaching")).template.name).toBe("Coaching programme");
    expect((await templateForPipeline(env.DB, workspaceId, "default")).template.name).toBe("Client journey");
    expect((await templateForPipeline(env.DB, workspaceId, null)).version).toBe(0);
  });
});
