import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StepIdentity } from "../../integrations/core/context";
import { notion } from "../../integrations/notion";
import { surveyMarker } from "../../integrations/notion/actions/record-survey";
import { runStepAction } from "../../src/connections/action-context";
import { recordSurveyOnCard, recordSurveyOnDeal } from "../../src/surveys/record-survey";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, NOTION_TOKEN, useWorld } from "../world";
import { envRecordingEvents, postAnswer, sentSurvey, surveyRow } from "./helpers";

const world = useWorld();

const WS = "ws-record-survey";
const PORTAL = "5530001";

/** A connected workspace with a journey, its deal and its survey (answered unless told otherwise). */
async function answeredSurveyFor(journeyId: string, dealId: string, answer: Record<string, string> | null) {
  await connectWorkspace(env, WS, PORTAL);
  addWonDeal(world, dealId);
  const sent = await sentSurvey(WS, journeyId);
  if (answer) expect((await postAnswer(sent.path, answer, envRecordingEvents([]))).status).toBe(200);
  const ctx = { workspaceId: WS, journeyId, idempotencyKey: `${journeyId}:offboarding.record-survey` };
  return { ...sent, ctx };
}

async function projectCard(step: StepIdentity) {
  return runStepAction(env, notion.actions.createProjectCard, step, {
    title: "Brand sprint",
    status: "Onboarding",
    clientName: "Grace Hopper",
    dealUrl: "https://app.hubspot.test/deal/1",
    invoiceUrl: "https://invoice.stripe.test/i/1",
    dueDate: "2026-12-20",
    checklist: ["Agreement accepted", "Invoice paid"],
  });
}

/** The plain text of a stored (request-shaped) Notion block. */
const blockText = (block: unknown) =>
  ((block as { paragraph?: { rich_text: { text: { content: string } }[] } }).paragraph?.rich_text ?? [])
    .map((t) => t.text.content)
    .join("");

describe("hubspot.record-survey", () => {
  it("PATCHes score and comment onto the deal; refused on first use, it creates the two survey properties and PATCHes again", async () => {
    const { ctx, surveyId } = await answeredSurveyFor("onb-rs-hubspot", "6101", { score: "9", comment: "Great work" });
    const input = recordSurveyOnDeal.input.parse({ dealId: "6101", surveyId });
    const from = world.hubspot.requests.all.length;
    expect(await runStepAction(env, recordSurveyOnDeal, ctx, input)).toEqual({ dealId: "6101", surveyId, score: 9 });

    const hs = world.hubspot.requests;
    // Write first, no property read: HubSpot refuses the PATCH (the properties do not exist yet), they are made,
    // and the PATCH goes again.
    expect(hs.all.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /crm/v3/objects/deals/6101",
      "POST /crm/v3/properties/deals",
      "POST /crm/v3/properties/deals",
      "PATCH /crm/v3/objects/deals/6101",
    ]);
    expect(hs.matching("POST", "/crm/v3/properties/deals").map((r) => r.body)).toEqual([
      {
        name: "clientflow_survey_score",
        label: "Clientflow survey score (0-10)",
        type: "number",
        fieldType: "number",
        groupName: "dealinformation",
      },
      {
        name: "clientflow_survey_comment",
        label: "Clientflow survey comment",
        type: "string",
        fieldType: "textarea",
        groupName: "dealinformation",
      },
    ]);
    const patches = hs.matching("PATCH", "/crm/v3/objects/deals/6101");
    const body = { properties: { clientflow_survey_score: "9", clientflow_survey_comment: "Great work" } };
    expect(patches.map((r) => r.body)).toEqual([body, body]);
    expect(patches[0]?.headers["content-type"]).toBe("application/json");
    expect(world.hubspot.deals.get("6101")?.properties).toMatchObject({
      clientflow_survey_score: "9",
      clientflow_survey_comment: "Great work",
    });
    expect((await surveyRow(surveyId)).hubspot_synced_at).toMatch(/^\d{4}-/);

    // A retried step: the properties exist now, the same PATCH is sent once more (the only request) and changes nothing.
    const retried = hs.all.length;
    await runStepAction(env, recordSurveyOnDeal, ctx, input);
    expect(hs.all.slice(retried).map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /crm/v3/objects/deals/6101"]);
    expect(hs.matching("POST", "/crm/v3/properties/deals")).toHaveLength(2);
    expect(hs.matching("PATCH", "/crm/v3/objects/deals/6101").map((r) => r.body)).toEqual([body, body, body]);
  });

  it("refuses a survey that has no answer yet, or that belongs to another journey, without calling HubSpot", async () => {
    const { ctx, surveyId } = await answeredSurveyFor("onb-rs-unanswered", "6102", null);
    const before = world.hubspot.requests.all.length;
    await expect(runStepAction(env, recordSurveyOnDeal, ctx, { dealId: "6102", surveyId })).rejects.toMatchObject({
      code: "survey_not_answered",
      status: 409,
    });
    await expect(
      runStepAction(env, recordSurveyOnDeal, { ...ctx, journeyId: "onb-rs-other" }, { dealId: "6102", surveyId }),
    ).rejects.toMatchObject({ code: "unknown_survey" });
    expect(world.hubspot.requests.all.length).toBe(before);
  });
});

describe("notion.record-survey", () => {
  it("lists the card's children, then appends one 'Survey: 9/10 — comment' paragraph; a retry appends nothing", async () => {
    const { ctx, surveyId } = await answeredSurveyFor("onb-rs-notion", "6201", { score: "9", comment: "Great work" });
    const card = await projectCard(ctx);
    const input = recordSurveyOnCard.input.parse({ pageId: card.pageId, surveyId });
    const first = await runStepAction(env, recordSurveyOnCard, ctx, input);
    expect(first).toMatchObject({ pageId: card.pageId, created: true });

    const path = `/v1/blocks/${card.pageId}/children`;
    const [list] = world.notion.requests.matching("GET", path);
    expect(list?.search.get("page_size")).toBe("100");
    expect(list?.headers.authorization).toBe(`Bearer ${NOTION_TOKEN}`);
    expect(list?.headers["notion-version"]).toBe("2025-09-03");
    const appends = world.notion.requests.matching("PATCH", path);
    expect(appends.map((r) => r.body)).toEqual([
      {
        children: [
          {
            object: "block",
            type: "paragraph",
            paragraph: {
              rich_text: [
                { type: "text", text: { content: "Survey: 9/10" }, annotations: { bold: true } },
                { type: "text", text: { content: " — " } },
                { type: "text", text: { content: "Great work" } },
                {
                  type: "text",
                  text: { content: ` (${surveyMarker(surveyId)})` },
                  annotations: { color: "gray", italic: true },
                },
              ],
            },
          },
        ],
      },
    ]);
    const children = world.notion.pages.get(card.pageId)?.children ?? [];
    expect(children).toHaveLength(3);
    expect(blockText(children.at(-1))).toBe(`Survey: 9/10 — Great work (Clientflow survey ${surveyId})`);
    expect((await surveyRow(surveyId)).notion_synced_at).toMatch(/^\d{4}-/);

    const again = await runStepAction(env, recordSurveyOnCard, ctx, input);
    expect(again).toEqual({ pageId: card.pageId, blockId: first.blockId, created: false });
    expect(world.notion.requests.matching("PATCH", path)).toHaveLength(1);
    expect(world.notion.requests.matching("GET", path)).toHaveLength(2);
    expect(world.notion.pages.get(card.pageId)?.children).toHaveLength(3);
  });

  it("finds its block past the first 100 children (cursor paging), and writes no dash without a comment", async () => {
    const { ctx, surveyId } = await answeredSurveyFor("onb-rs-paging", "6202", { score: "4" });
    const card = await projectCard(ctx);
    const input = { pageId: card.pageId, surveyId };
    await runStepAction(env, recordSurveyOnCard, ctx, input);
    const page = world.notion.pages.get(card.pageId);
    if (!page) throw new Error("card expected");
    expect(blockText(page.children.at(-1))).toBe(`Survey: 4/10 (Clientflow survey ${surveyId})`);

    const filler = (i: number) => ({
      type: "paragraph",
      paragraph: { rich_text: [{ text: { content: `Note ${i}` } }] },
    });
    page.children.unshift(...Array.from({ length: 140 }, (_, i) => filler(i)));
    world.notion.requests.clear();
    expect(await runStepAction(env, recordSurveyOnCard, ctx, input)).toMatchObject({ created: false });
    const lists = world.notion.requests.matching("GET", `/v1/blocks/${card.pageId}/children`);
    expect(lists.map((r) => r.search.get("start_cursor"))).toEqual([null, "100"]);
    expect(world.notion.requests.matching("PATCH", `/v1/blocks/${card.pageId}/children`)).toEqual([]);
  });

  it("refuses an unanswered survey without calling Notion", async () => {
    const { ctx, surveyId } = await answeredSurveyFor("onb-rs-notion-unanswered", "6203", null);
    const before = world.notion.requests.all.length;
    await expect(runStepAction(env, recordSurveyOnCard, ctx, { pageId: "page-x", surveyId })).rejects.toMatchObject({
      code: "survey_not_answered",
    });
    expect(world.notion.requests.all.length).toBe(before);
  });
});
