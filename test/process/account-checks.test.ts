import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { saveTemplate } from "../../src/engine/templates";
import { findOwner } from "../../src/store/owners";
import { TEST_BINDINGS as B } from "../bindings";
import { signIn } from "../browser";
import { connectWorkspace, NOTION_BOARD, setOwnerLinks, useWorld } from "../world";

const world = useWorld();

/** The path of a step in a template, by its id (`phases.<p>.steps.<s>`), as the problems name it. */
function at(template: { phases: { steps: { id: string }[] }[] }, stepId: string): string {
  for (const [p, phase] of template.phases.entries()) {
    const s = phase.steps.findIndex((step) => step.id === stepId);
    if (s >= 0) return `phases.${p}.steps.${s}`;
  }
  throw new Error(`no step ${stepId}`);
}

type Step = { id: string; name: string; action: string; inputs?: Record<string, unknown>; trigger?: unknown };
type Draft = { name: string; pipeline?: string; phases: { id: string; name: string; steps: Step[] }[] };
const draft = () => structuredClone(DEFAULT_TEMPLATE) as Draft;
const BOARD = '"Client projects" (Onboarding, In progress, Review, Done)';
const OFFBOARDING = 3;

/** A signed-in owner whose workspace has every provider connected (the documented board) and its links set. */
async function connectedOwner(sub: string, portal: string, settings: Record<string, string | null> = {}) {
  const { browser, csrf } = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  await connectWorkspace(env, workspaceId, portal, settings);
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };
  const send = (path: string, method: string, body?: unknown) =>
    browser.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { workspaceId, send };
}

type Refused = { error: string; problems: { path: string; message: string }[]; warnings: string[] };

describe("templates are checked against the connected accounts when saved", () => {
  it("the default template is valid on the documented board and the HubSpot pipeline: saved with no problem or warning", async () => {
    const { send } = await connectedOwner("owner-check-default", "4419001");
    const validated = await send("/api/process/validate", "POST", DEFAULT_TEMPLATE);
    expect(await validated.json()).toEqual({ ok: true, errors: [], warnings: [] });
    const saved = await send("/api/process/templates/default", "PUT", DEFAULT_TEMPLATE);
    expect(saved.status).toBe(201);
    expect(await saved.json()).toEqual({ templateId: "default", version: 1, warnings: [] });
    // Read from the accounts themselves: the board's Status options and the deal pipelines.
    expect(world.notion.requests.matching("GET", `/v1/data_sources/${NOTION_BOARD}`).length).toBeGreaterThan(0);
    expect(world.hubspot.requests.matching("GET", "/crm/v3/pipelines/deals").length).toBeGreaterThan(0);
  });

  it('names a card status the board lacks ("Complete") at its field, on save and on restoring a version', async () => {
    const { workspaceId, send } = await connectedOwner("owner-check-status", "4419002");
    const bad = draft();
    const archive = { id: "archive-card", name: "Archive", action: "notion.move-card", inputs: { status: "Complete" } };
    bad.phases[OFFBOARDING]?.steps.push(archive);
    const waits = bad.phases[2]?.steps[1];
    if (waits) waits.trigger = { type: "event", event: "notion.project.status_changed", status: "Ready" };
    const refused = await send("/api/process/templates/default", "PUT", bad);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as Refused;
    expect(body.problems).toEqual([
      { path: "phases.2.steps.1.trigger.status", message: `"Ready" is not a Status option of the board ${BOARD}` },
      {
        path: `${at(bad, "archive-card")}.inputs.status`,
        message: `"Complete" is not a Status option of the board ${BOARD}`,
      },
    ]);
    expect(body.warnings).toEqual([]);
    expect((await send("/api/process/templates/default/versions", "GET")).status).toBe(200);
    expect(((await (await send("/api/process", "GET")).json()) as { version: number }).version).toBe(0);

    // A version stored before the check (the old default's last step) is checked when it is made current again.
    const old = draft();
    old.phases[OFFBOARDING]?.steps.push(archive);
    await saveTemplate(env.DB, workspaceId, { ...old, name: "Old journey" }, "owner-check-status", "legacy");
    const restored = await send("/api/process/templates/legacy/versions/1/restore", "POST");
    expect(restored.status).toBe(422);
    expect(((await restored.json()) as Refused).problems).toEqual([
      {
        path: `${at(old, "archive-card")}.inputs.status`,
        message: `"Complete" is not a Status option of the board ${BOARD}`,
      },
    ]);
  });

  it("names a HubSpot stage or pipeline that does not exist, the settings' completed stage included", async () => {
    const { send } = await connectedOwner("owner-check-stage", "4419003", { completedStage: "delivered" });
    const bad = draft();
    const update = { id: "mark-shipped", name: "Shipped", action: "hubspot.update-deal", inputs: { stage: "shipped" } };
    bad.phases[OFFBOARDING]?.steps.push(update);
    const refused = (await (await send("/api/process/templates/default", "PUT", bad)).json()) as Refused;
    const stages =
      "appointmentscheduled, qualifiedtobuy, presentationscheduled, decisionmakerboughtin, contractsent, closedwon, closedlost";
    expect(refused.problems).toEqual([
      {
        path: `${at(bad, "complete-deal")}.inputs.stage`,
        message: `the completed stage set in Settings, "delivered" is not a stage of the pipeline "Sales Pipeline" ("Sales Pipeline": ${stages})`,
      },
      {
        path: `${at(bad, "mark-shipped")}.inputs.stage`,
        message: `"shipped" is not a stage of the pipeline "Sales Pipeline" ("Sales Pipeline": ${stages})`,
      },
    ]);
    const other = (await (
      await send("/api/process/templates/coaching", "PUT", { ...DEFAULT_TEMPLATE, pipeline: "p-9" })
    ).json()) as Refused;
    expect(other.problems).toEqual([
      { path: "pipeline", message: '"p-9" is not a deal pipeline of the HubSpot account (default (Sales Pipeline))' },
    ]);
  });

  it("skips the checks of a provider that is not connected, or that fails, with a warning: the save goes through", async () => {
    const { send } = await connectedOwner("owner-check-down", "4419004");
    world.network.use(
      http.get(`${B.NOTION_API_BASE}/v1/data_sources/:id`, () =>
        HttpResponse.json(
          { object: "error", status: 500, code: "internal_server_error", message: "boom" },
          { status: 500 },
        ),
      ),
      http.get(`${B.HUBSPOT_API_BASE}/crm/v3/pipelines/deals`, () =>
        HttpResponse.json({ status: "error", message: "down", category: "INTERNAL_ERROR" }, { status: 500 }),
      ),
    );
    const bad = draft();
    bad.phases[OFFBOARDING]?.steps.push({
      id: "move-card",
      name: "X",
      action: "notion.move-card",
      inputs: { status: "Complete" },
    });
    const saved = await send("/api/process/templates/default", "PUT", bad);
    expect(saved.status, await saved.clone().text()).toBe(201);
    expect(((await saved.json()) as { warnings: string[] }).warnings).toEqual([
      "Card statuses were not checked against Notion: it could not be read (error 500). Save again later to check them.",
      "Deal pipelines and stages were not checked against HubSpot: it could not be read (error 500). Save again later to check them.",
    ]);

    const fresh = await signIn(world, { sub: "owner-check-new", email: "new@studio.test" });
    await setOwnerLinks(env, "owner-check-new");
    const headers = { "content-type": "application/json", "x-csrf-token": fresh.csrf };
    const put = await fresh.browser.fetch("/api/process/templates/default", {
      method: "PUT",
      headers,
      body: JSON.stringify(bad),
    });
    expect(put.status, await put.clone().text()).toBe(201);
    expect(((await put.json()) as { warnings: string[] }).warnings).toEqual([
      "Card statuses were not checked against Notion: Connect notion first.",
      "Deal pipelines and stages were not checked against HubSpot: Connect hubspot first.",
    ]);
  });

  it("names every field that sends a client link the settings leave unset", async () => {
    const { send } = await connectedOwner("owner-check-links", "4419005", { reviewUrl: null, bookingUrl: null });
    const refused = await send("/api/process/templates/default", "PUT", DEFAULT_TEMPLATE);
    expect(refused.status).toBe(422);
    const place = "Settings → Client links (on the Connections page)";
    const booking = `{{links.booking}} sends the booking link, which is not set: set it in ${place}`;
    const t = DEFAULT_TEMPLATE as { phases: { steps: { id: string }[] }[] };
    expect(((await refused.json()) as Refused).problems).toEqual([
      { path: `${at(t, "auto-reply")}.inputs.body`, message: booking },
      {
        path: `${at(t, "review-request")}.inputs.body`,
        message: `{{links.review}} sends the review link, which is not set: set it in ${place}`,
      },
      { path: `${at(t, "offer-6m")}.inputs.body`, message: booking },
      { path: `${at(t, "check-in-12m")}.inputs.body`, message: booking },
    ]);
  });
});
