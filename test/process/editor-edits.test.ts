import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { presetTemplate } from "../../src/engine/presets";
import { signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";
import { COACHING_TEMPLATE } from "./coaching-template";

const world = useWorld();

type Step = { id: string; action: string; name: string; inputs: Record<string, unknown> };
type Draft = { name: string; phases: { id: string; name: string; steps: Step[] }[] };
type Problem = { path: string; message: string };
type EditAnswer = { template: Draft; stepId: string | null; problems: Problem[]; form: string };

async function owner(sub: string) {
  const { browser, csrf } = await signIn(world, { sub, email: `${sub}@studio.test` });
  // The process sends the booking, agreement and review links: a save checks that they are set.
  await setOwnerLinks(env, sub);
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };
  const send = (path: string, method: string, body?: unknown, extra: Record<string, string> = headers) =>
    browser.fetch(path, { method, headers: extra, body: body === undefined ? undefined : JSON.stringify(body) });
  /** One shape edit of `template` through the editor's edit route; the answer must be 200. */
  const edit = async (template: unknown, op: Record<string, string>, templateId = "default") => {
    const response = await send(`/process/${templateId}/edit`, "POST", { template, op });
    expect(response.status).toBe(200);
    return (await response.json()) as EditAnswer;
  };
  const current = async (templateId = "default") =>
    (await (await send(`/api/process/templates/${templateId}`, "GET")).json()) as {
      version: number;
      template: Draft;
      versions: unknown[];
    };
  return { browser, csrf, headers, send, edit, current };
}

const ids = (t: Draft) => t.phases.map((p) => p.steps.map((s) => s.id));
/** Where step `id` is: `phases.P.steps.S`. */
function placeOf(t: Draft, id: string): string {
  for (const [p, phase] of t.phases.entries()) {
    const s = phase.steps.findIndex((step) => step.id === id);
    if (s !== -1) return `phases.${p}.steps.${s}`;
  }
  throw new Error(`no step ${id}`);
}
function stepOf(t: Draft, id: string): Step {
  const step = t.phases.flatMap((p) => p.steps).find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
}
const start = () => structuredClone(DEFAULT_TEMPLATE) as Draft;

describe("the process editor's shape edits", () => {
  it("adds a step with a new id: invalid until its required inputs are filled, then saved as a new version", async () => {
    const { edit, send, current } = await owner("owner-add-step");
    const added = await edit(start(), { kind: "add-step", phase: "onboarding", action: "gmail.send-email" });
    expect(added.stepId).toBe("send-email-1");
    const onboarding = added.template.phases.find((p) => p.id === "onboarding");
    expect(onboarding?.steps.at(-1)).toMatchObject({ id: "send-email-1", action: "gmail.send-email", inputs: {} });
    const place = placeOf(added.template, "send-email-1");
    // The required inputs are missing: each problem at its field, and the form has those fields.
    expect(added.problems).toEqual(
      expect.arrayContaining([
        { path: `${place}.inputs.subject`, message: 'missing required input "subject" for gmail.send-email' },
        { path: `${place}.inputs.body`, message: 'missing required input "body" for gmail.send-email' },
      ]),
    );
    expect(added.form).toContain('data-step-id="send-email-1"');
    expect(added.form).toContain(
      `<label for="f-${place.replace(/\./g, "-")}-inputs-subject">Subject (required)</label>`,
    );

    // Saving it as it is: refused with the problem at its field, nothing saved.
    const refused = await send("/api/process/templates/default", "PUT", added.template);
    expect(refused.status).toBe(422);
    const problems = ((await refused.json()) as { problems: Problem[] }).problems;
    expect(problems.map((p) => p.path)).toContain(`${place}.inputs.subject`);
    expect((await current()).version).toBe(0);

    // Filled in, it saves as version 1 with the new step.
    Object.assign(stepOf(added.template, "send-email-1").inputs, { subject: "Hello", body: "Hi {{client.firstName}}" });
    const saved = await send("/api/process/templates/default", "PUT", added.template);
    expect(saved.status).toBe(201);
    const v1 = await current();
    expect(v1.version).toBe(1);
    expect(stepOf(v1.template, "send-email-1").inputs).toEqual({ subject: "Hello", body: "Hi {{client.firstName}}" });

    // Removed and saved again, its id stays reserved: the next email step is send-email-2.
    const removed = await edit(v1.template, { kind: "remove-step", stepId: "send-email-1" });
    expect(ids(removed.template).flat()).not.toContain("send-email-1");
    expect((await send("/api/process/templates/default", "PUT", removed.template)).status).toBe(201);
    const again = await edit((await current()).template, {
      kind: "add-step",
      phase: "lead",
      action: "gmail.send-email",
    });
    expect(again.stepId).toBe("send-email-2");
    // A built-in default's id is never given either (journeys ran the default as version 0).
    const survey = await edit(start(), { kind: "add-step", phase: "follow_up", action: "survey.send" });
    expect(survey.stepId).toBe("send-1");
  });

  it("removes a step: a later step still using its output gets the problem at that field", async () => {
    const { edit, send, current } = await owner("owner-remove-step");
    const removed = await edit(start(), { kind: "remove-step", stepId: "send-agreement" });
    expect(ids(removed.template).flat()).not.toContain("send-agreement");
    const body = `${placeOf(removed.template, "welcome-email")}.inputs.body`;
    expect(removed.problems).toContainEqual({
      path: body,
      message: "{{steps.send-agreement.url}} refers to a step that does not run before this one",
    });
    const refused = await send("/api/process/templates/default", "PUT", removed.template);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { problems: Problem[] }).problems.map((p) => p.path)).toContain(body);
    expect((await current()).version).toBe(0);

    // A step that runs after the removed one: the problem sits at its list of steps.
    const draft = start();
    Object.assign(stepOf(draft, "check-in-12m"), { trigger: { type: "after", steps: ["offer-6m"] } });
    const after = await edit(draft, { kind: "remove-step", stepId: "offer-6m" });
    expect(after.problems).toContainEqual({
      path: `${placeOf(after.template, "check-in-12m")}.trigger.steps`,
      message: "runs after unknown step offer-6m",
    });
  });

  it("moves steps up and down (across phases at the ends) and saves the new order", async () => {
    const { edit, send, current } = await owner("owner-move-step");
    const before = ids(start());
    const up = await edit(start(), { kind: "move-step", stepId: "project-card", direction: "up" });
    const onboarding = ids(up.template)[1] ?? [];
    expect(onboarding.indexOf("project-card")).toBe(onboarding.indexOf("deposit-invoice") - 1);
    expect(up.problems).toEqual([]);
    // The first step of a phase moving up goes to the end of the phase before.
    const across = await edit(up.template, { kind: "move-step", stepId: "send-agreement", direction: "up" });
    expect(ids(across.template)[0]?.at(-1)).toBe("send-agreement");
    const back = await edit(across.template, { kind: "move-step", stepId: "send-agreement", direction: "down" });
    expect(ids(back.template)[1]?.[0]).toBe("send-agreement");
    expect(ids(back.template)).not.toEqual(before);

    expect((await send("/api/process/templates/default", "PUT", back.template)).status).toBe(201);
    expect(ids((await current()).template)).toEqual(ids(up.template));
  });

  it("changes a step's action: a new id, inputs from the new action's catalog entry, missing ones at their fields", async () => {
    const { edit } = await owner("owner-set-action");
    const changed = await edit(start(), { kind: "set-action", stepId: "kickoff", action: "survey.send" });
    expect(changed.stepId).toBe("send-1");
    const step = stepOf(changed.template, "send-1");
    expect(step).toMatchObject({ action: "survey.send", inputs: {}, name: stepOf(start(), "kickoff").name });
    const place = placeOf(changed.template, "send-1");
    expect(changed.problems).toContainEqual({
      path: `${place}.inputs.question`,
      message: 'missing required input "question" for survey.send',
    });
    const field = `f-${place.replace(/\./g, "-")}`;
    expect(changed.form).toContain(`<label for="${field}-inputs-question">Question (required)</label>`);
    expect(changed.form).not.toContain(`id="${field}-inputs-title"`);
    expect(changed.form).toMatch(
      new RegExp(`id="${field}-action"[^>]*>.*?<option value="survey.send" selected="">`, "s"),
    );
  });

  it("leaves out and includes phases in the journey's fixed order; the result saves", async () => {
    const { edit, send, current } = await owner("owner-phases");
    const out = await edit(start(), { kind: "leave-out-phase", phase: "follow_up" });
    expect(out.template.phases.map((p) => p.id)).toEqual(["lead", "onboarding", "fulfillment", "offboarding"]);
    expect(out.form).toContain(
      'data-op="{&quot;kind&quot;:&quot;include-phase&quot;,&quot;phase&quot;:&quot;follow_up&quot;}"',
    );
    const noLead = await edit(out.template, { kind: "leave-out-phase", phase: "lead" });
    const lead = await edit(noLead.template, { kind: "include-phase", phase: "lead" });
    expect(lead.template.phases[0]).toEqual({ id: "lead", name: "Lead capture", steps: [] });
    expect(lead.template.phases.map((p) => p.id)).toEqual(["lead", "onboarding", "fulfillment", "offboarding"]);
    expect(lead.problems).toEqual([]);
    expect((await send("/api/process/templates/default", "PUT", lead.template)).status).toBe(201);
    expect((await current()).template.phases.map((p) => p.id)).toEqual([
      "lead",
      "onboarding",
      "fulfillment",
      "offboarding",
    ]);
    // A phase already in, or a step the draft has not, is refused without change.
    const twice = await send("/process/default/edit", "POST", {
      template: lead.template,
      op: { kind: "include-phase", phase: "lead" },
    });
    expect(twice.status).toBe(422);
    const unknown = await send("/process/default/edit", "POST", {
      template: lead.template,
      op: { kind: "remove-step", stepId: "no-such-step" },
    });
    expect(unknown.status).toBe(422);
  });

  it("starts from the onboarding-only preset and saves it", async () => {
    const { edit, send, current } = await owner("owner-preset");
    const preset = await edit(start(), { kind: "start-from", preset: "onboarding" });
    expect(preset.template).toEqual(presetTemplate("onboarding"));
    expect(preset.form).toContain("Onboarding only");
    expect((await send("/api/process/templates/default", "PUT", preset.template)).status).toBe(201);
    expect((await current()).template.name).toBe("Onboarding only");
  });

  it("refuses an edit without the CSRF token, and a template of another workspace", async () => {
    const a = await owner("owner-edits-a");
    const b = await owner("owner-edits-b");
    const op = { kind: "add-step", phase: "lead", action: "gmail.send-email" };
    const noCsrf = await a.send(
      "/process/default/edit",
      "POST",
      { template: start(), op },
      { "content-type": "application/json" },
    );
    expect(noCsrf.status).toBe(403);

    expect((await a.send("/api/process/templates/coaching", "PUT", COACHING_TEMPLATE)).status).toBe(201);
    const coaching = (await a.current("coaching")).template;
    const first = coaching.phases[0]?.id ?? "";
    expect((await a.edit(coaching, { ...op, phase: first }, "coaching")).stepId).toMatch(/^send-email-\d+$/);
    const other = await b.send("/process/coaching/edit", "POST", { template: coaching, op: { ...op, phase: first } });
    expect(other.status).toBe(404);
    expect((await b.current()).version).toBe(0);
  });
});
