import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { insertTemplateVersion } from "../../src/store/process-templates";
import { signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";

const world = useWorld();

type Step = { id: string; action: string; name: string; inputs: Record<string, unknown>; trigger?: unknown };
type Draft = { name: string; phases: { id: string; name: string; steps: Step[] }[] };
type Problems = { error: string; problems: { path: string; message: string }[] };

const start = () => structuredClone(DEFAULT_TEMPLATE) as Draft;
/** The step `id` and its place `phases.P.steps.S`. */
function find(t: Draft, id: string): { step: Step; place: string } {
  for (const [p, phase] of t.phases.entries()) {
    const s = phase.steps.findIndex((step) => step.id === id);
    const step = phase.steps[s];
    if (step) return { step, place: `phases.${p}.steps.${s}` };
  }
  throw new Error(`no step ${id}`);
}
/** The template without step `id`. */
function without(t: Draft, id: string): Draft {
  const copy = structuredClone(t);
  for (const phase of copy.phases) phase.steps = phase.steps.filter((s) => s.id !== id);
  return copy;
}

async function owner(sub: string) {
  const { browser, csrf } = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = await setOwnerLinks(env, sub);
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };
  const send = (path: string, method: string, body?: unknown) =>
    browser.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const versions = async (templateId: string) =>
    (
      (await (await send(`/api/process/templates/${templateId}/versions`, "GET")).json()) as {
        versions: { version: number }[];
      }
    ).versions.map((v) => v.version);
  return { send, versions, workspaceId };
}

/** A step id's action is permanent: step names (`<phase>.<id>`) are what running journeys replay by. */
describe("a JSON save that reuses a step id for another action", () => {
  it("is refused at the step's id when the built-in default used the id, and saves once the id is new", async () => {
    const { send, versions } = await owner("owner-reuse-builtin");
    const changed = start();
    const { step, place } = find(changed, "kickoff");
    // The kickoff meeting becomes an email under the same id (what the editor's change of action never does).
    Object.assign(step, {
      action: "gmail.send-email",
      inputs: { subject: "Kickoff", body: "Hi {{client.firstName}}, let us meet." },
    });
    const refused = await send("/api/process", "PUT", changed);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as Problems;
    expect(body.error).toBe("invalid_template");
    expect(body.problems).toEqual([
      {
        path: `${place}.id`,
        message:
          "the built-in default template used the id kickoff for calendar.create-event; step ids are permanent, so a step with the action gmail.send-email needs a new id",
      },
    ]);
    expect(await versions("default")).toEqual([]);

    step.id = "kickoff-email";
    expect((await send("/api/process", "PUT", changed)).status).toBe(201);
    expect(await versions("default")).toEqual([1]);
  });

  it("is refused for an id a removed step had in an earlier version; the step itself may come back", async () => {
    const { send, versions } = await owner("owner-reuse-removed");
    const url = "/api/process/templates/studio";
    expect((await send(url, "PUT", start())).status).toBe(201);
    const v2 = without(start(), "survey");
    // The review request asked for the survey's answer link; without the survey it asks for the review only.
    find(v2, "review-request").step.inputs.body = "Hi {{client.firstName}}, would you leave a review? {{links.review}}";
    expect((await send(url, "PUT", v2)).status).toBe(201);

    // Version 3 names a thank-you email "survey": version 1 ran a survey.send under that id.
    const v3 = structuredClone(v2);
    const thanks = find(v3, "thank-you");
    thanks.step.id = "survey";
    const refused = await send(url, "PUT", v3);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problems).problems).toEqual([
      {
        path: `${thanks.place}.id`,
        message:
          "version 1 used the id survey for survey.send; step ids are permanent, so a step with the action gmail.send-email needs a new id",
      },
    ]);
    expect(await versions("studio")).toEqual([2, 1]);

    // The same step, with its own action, may return.
    expect((await send(url, "PUT", start())).status).toBe(201);
    expect(await versions("studio")).toEqual([3, 2, 1]);
  });

  it("refuses restoring a version whose id another version used for another action", async () => {
    const { send, versions, workspaceId } = await owner("owner-reuse-restore");
    const url = "/api/process/templates/legacy";
    expect((await send(url, "PUT", start())).status).toBe(201);
    // A version saved before the check existed: "thank-you" sends a survey.
    const legacy = start();
    Object.assign(find(legacy, "thank-you").step, { action: "survey.send", inputs: { question: "How was it?" } });
    expect(await insertTemplateVersion(env.DB, workspaceId, "legacy", legacy, "test")).toBe(2);

    const restored = await send(`${url}/versions/2/restore`, "POST");
    expect(restored.status).toBe(422);
    const { problems } = (await restored.json()) as Problems;
    expect(problems.map((p) => p.path)).toEqual([`${find(legacy, "thank-you").place}.id`]);
    expect(await versions("legacy")).toEqual([2, 1]);
  });
});
