import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { renderProcessText } from "../../src/engine/merge-context";
import { Browser, signIn } from "../browser";
import { setOwnerLinks, useWorld } from "../world";

const world = useWorld();

type Draft = { name: string; phases: { id: string; steps: Record<string, unknown>[] }[] };
const draft = () => structuredClone(DEFAULT_TEMPLATE) as Draft;
const stepOf = (t: Draft, p: number, s: number) => {
  const step = t.phases[p]?.steps[s];
  if (!step) throw new Error(`no step ${p}.${s}`);
  return step as { inputs: Record<string, unknown>; trigger?: unknown };
};

/** An owner who signed in but connected nothing: the checks against the accounts are skipped, with these warnings. */
const NOT_CONNECTED = [
  "Card statuses were not checked against Notion: Connect notion first.",
  "Deal pipelines and stages were not checked against HubSpot: Connect hubspot first.",
];

async function owner(sub: string) {
  const { browser, csrf } = await signIn(world, { sub, email: `${sub}@studio.test` });
  // The owner has set the client links the default template sends (booking, review).
  await setOwnerLinks(env, sub);
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };
  const send = (path: string, method: string, body?: unknown) =>
    browser.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { browser, csrf, headers, send };
}

describe("email preview against the sample client", () => {
  it("renders merge fields with the interpreter's merge data and lists unknown fields", async () => {
    const { browser, send } = await owner("owner-preview");
    const sample = (await (await browser.fetch("/api/process/sample")).json()) as {
      deal: { contact: { firstName: string } };
      data: Record<string, Record<string, string>>;
    };
    expect(sample.deal.contact.firstName).toBe("Jordan");

    const response = await send("/api/process/preview", "POST", {
      subject: "Welcome, {{client.firstName}}",
      body: "Hi {{client.fullName}} from {{client.company}},\n\nYour {{deal.name}} invoice: {{invoice.amount}}.\n{{client.nickname}} {{ steps.nope.url }}\n\n{{business.senderName}}",
    });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as Record<string, unknown>;
    expect(preview.subject).toBe("Welcome, Jordan");
    expect(preview.body).toBe(
      `Hi Jordan Lee from Lee & Co,\n\nYour Brand refresh for Lee & Co invoice: $5,000.00.\n{{client.nickname}} {{ steps.nope.url }}\n\n${sample.data.business?.senderName}`,
    );
    expect(preview.html).toContain(">Hi Jordan Lee from Lee &amp; Co,</p>");
    expect(preview.unknownFields).toEqual(["{{client.nickname}}", "{{steps.nope.url}}"]);
    // Known fields render exactly as the interpreter renders them from the same data.
    expect(renderProcessText("{{deal.name}} · {{links.booking}} · {{project.dueDate}}", sample.data, {})).toBe(
      `Brand refresh for Lee & Co · ${sample.data.links?.booking} · ${sample.data.project?.dueDate}`,
    );
  });

  it("gives a step the outputs of the steps before it, not after, and says what is still empty", async () => {
    const { send } = await owner("owner-preview-steps");
    const response = await send("/api/process/preview", "POST", {
      body: "Deposit {{steps.deposit-invoice.amount}} at {{steps.deposit-invoice.url}}; kickoff {{steps.kickoff.url}}",
      stepId: "welcome-email",
      templateId: "default",
    });
    const preview = (await response.json()) as { body: string; unknownFields: string[]; fields: string[] };
    expect(preview.body).toMatch(
      /^Deposit \$2,500\.00 at https:\/\/invoice\.stripe\.com\/\S+; kickoff \{\{steps\.kickoff\.url\}\}$/,
    );
    expect(preview.unknownFields).toEqual(["{{steps.kickoff.url}}"]);
    expect(preview.fields).toContain("steps.send-agreement.url");
    expect(preview.fields).not.toContain("steps.kickoff.url");

    const lead = (await (
      await send("/api/process/preview", "POST", {
        body: "Pay {{invoice.url}}",
        stepId: "auto-reply",
        template: draft(),
      })
    ).json()) as { body: string; emptyFields: string[] };
    expect(lead.body).toBe("Pay ");
    expect(lead.emptyFields).toEqual(["{{invoice.url}}"]);
  });

  it("answers a bad body with 400, never a silent blank", async () => {
    const { send, browser, headers } = await owner("owner-preview-bad");
    const wrongType = await send("/api/process/preview", "POST", { subject: 5 });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ error: "invalid_request", details: [{ path: "subject" }] });
    expect((await send("/api/process/preview", "POST", {})).status).toBe(400);
    expect((await send("/api/process/preview", "POST", { body: "x", template: { phases: "no" } })).status).toBe(400);
    const malformed = await browser.fetch("/api/process/preview", { method: "POST", headers, body: "{" });
    expect(malformed.status).toBe(400);
  });
});

describe("saving from the editor", () => {
  it("refuses an invalid change with every problem on a path, and saves nothing", async () => {
    const { send } = await owner("owner-save-bad");
    expect((await send("/api/process/templates/default", "PUT", draft())).status).toBe(201);
    const bad = draft();
    stepOf(bad, 1, 3).inputs.subject = "Welcome {{client.nickname}}";
    delete stepOf(bad, 0, 2).inputs.body;
    stepOf(bad, 4, 0).trigger = { type: "delay", wait: { amount: -1, unit: "months" }, from: "end" };
    const refused = await send("/api/process/templates/default", "PUT", bad);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: string; problems: { path: string; message: string }[] };
    expect(body.error).toBe("invalid_template");
    expect(body.problems.map((p) => p.path)).toEqual(["phases.4.steps.0.trigger.wait.amount"]);

    delete (stepOf(bad, 4, 0) as { trigger?: unknown }).trigger;
    const second = (await (await send("/api/process/templates/default", "PUT", bad)).json()) as typeof body;
    expect(second.problems).toEqual([
      { path: "phases.0.steps.2.inputs.body", message: 'missing required input "body" for gmail.send-email' },
      { path: "phases.1.steps.3.inputs.subject", message: "Unknown merge field {{client.nickname}}" },
    ]);
    const history = (await (await send("/api/process/templates/default/versions", "GET")).json()) as {
      versions: { version: number }[];
    };
    expect(history.versions.map((v) => v.version)).toEqual([1]);
  });

  it("restores an old version as a new current version equal to it", async () => {
    const { send } = await owner("owner-restore");
    expect(await (await send("/api/process/templates/default", "PUT", draft())).json()).toEqual({
      templateId: "default",
      version: 1,
      warnings: NOT_CONNECTED,
    });
    const edited = draft();
    edited.name = "Edited journey";
    stepOf(edited, 1, 3).inputs.subject = "Hello {{client.firstName}}";
    expect((await send("/api/process/templates/default", "PUT", edited)).status).toBe(201);

    const restored = await send("/api/process/templates/default/versions/1/restore", "POST");
    expect(restored.status).toBe(201);
    expect(await restored.json()).toEqual({
      templateId: "default",
      version: 3,
      restoredFrom: 1,
      warnings: NOT_CONNECTED,
    });
    const v1 = (await (await send("/api/process/templates/default/versions/1", "GET")).json()) as { template: unknown };
    const v3 = (await (await send("/api/process/templates/default/versions/3", "GET")).json()) as { template: unknown };
    expect(v3.template).toEqual(v1.template);
    expect((await (await send("/api/process", "GET")).json()) as { version: number }).toMatchObject({ version: 3 });

    const history = (await (await send("/api/process/templates/default/versions", "GET")).json()) as {
      versions: { version: number; name: string; savedBy: string; savedAt: string }[];
    };
    expect(history.versions.map((v) => [v.version, v.name, v.savedBy])).toEqual([
      [3, "Client journey", "owner-restore@studio.test"],
      [2, "Edited journey", "owner-restore@studio.test"],
      [1, "Client journey", "owner-restore@studio.test"],
    ]);
    expect(history.versions[0]?.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await send("/api/process/templates/default/versions/9/restore", "POST")).status).toBe(404);
    expect((await send("/api/process/templates/nope/versions", "GET")).status).toBe(404);
    expect((await send("/api/process/templates/default/versions/0", "GET")).status).toBe(400);
  });
});

describe("the process API's edges", () => {
  it("is documented in the OpenAPI document", async () => {
    const { browser } = await owner("owner-openapi");
    const doc = (await (await browser.fetch("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    const expected: [string, string][] = [
      ["/process", "get"],
      ["/process", "put"],
      ["/process/validate", "post"],
      ["/process/preview", "post"],
      ["/process/sample", "get"],
      ["/process/versions/{version}", "get"],
      ["/process/templates/{templateId}", "get"],
      ["/process/templates/{templateId}", "put"],
      ["/process/templates/{templateId}/versions", "get"],
      ["/process/templates/{templateId}/versions/{version}", "get"],
      ["/process/templates/{templateId}/versions/{version}/restore", "post"],
    ];
    for (const [path, method] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation?.summary).toBeTruthy();
      expect(operation?.tags).toEqual(["Process"]);
    }
  });

  it("answers 401 without a session and 403 without the CSRF header on changes", async () => {
    const stranger = new Browser();
    expect((await stranger.fetch("/api/process/sample")).status).toBe(401);
    expect((await stranger.fetch("/api/process/templates/default/versions")).status).toBe(401);
    const json = { "content-type": "application/json" };
    expect(
      (await stranger.fetch("/api/process/preview", { method: "POST", headers: json, body: '{"subject":"x"}' })).status,
    ).toBe(401);

    const { browser, send } = await owner("owner-csrf");
    expect((await send("/api/process/templates/default", "PUT", draft())).status).toBe(201);
    const noCsrf = (path: string, method: string) =>
      browser.fetch(path, { method, headers: json, body: JSON.stringify(draft()) });
    expect((await noCsrf("/api/process/templates/default", "PUT")).status).toBe(403);
    expect((await noCsrf("/api/process/preview", "POST")).status).toBe(403);
    expect((await noCsrf("/api/process/templates/default/versions/1/restore", "POST")).status).toBe(403);
    const history = (await (await send("/api/process/templates/default/versions", "GET")).json()) as {
      versions: unknown[];
    };
    expect(history.versions).toHaveLength(1);
  });
});
