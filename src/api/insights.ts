import { createRoute, z } from "@hono/zod-openapi";
import { INSIGHT_PHASES, INTERVALS, OTHER_DEFINITIONS } from "../insights/definitions";
import { loadInsights, todayUtc } from "../insights/load";
import { insightFilterFields, insightQuery } from "../insights/query";
import { apiRouter, errorResponses, json } from "./router";

const ms = (description: string) => z.number().openapi({ description: `${description}, in milliseconds` });
const durations = {
  count: z.number().int(),
  medianMs: ms("Median"),
  p75Ms: ms("75th percentile"),
  p90Ms: ms("90th percentile"),
};

const InsightsSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    template: z.object({ templateId: z.string().nullable(), templateVersion: z.number().int().nullable() }),
    templates: z.array(z.object({ templateId: z.string(), templateVersion: z.number().int(), label: z.string() })),
    journeys: z.number().int().openapi({ description: "Journeys started in the range (and template filter)" }),
    durations: z.array(
      z.object({
        month: z.string().openapi({ example: "2026-03" }),
        template: z.string().openapi({ example: "default v2" }),
        kind: z.enum(["phase", "interval"]),
        id: z.string().openapi({
          description: `A phase (${INSIGHT_PHASES.map((p) => p.id).join(", ")}) or interval (${INTERVALS.map((i) => i.id).join(", ")})`,
        }),
        label: z.string(),
        ...durations,
      }),
    ),
    clients: z.array(
      z.object({
        journeyId: z.string(),
        clientName: z.string().nullable(),
        month: z.string(),
        template: z.string(),
        status: z.string(),
        intervals: z.record(z.string(), z.number().nullable()),
        phases: z.record(z.string(), z.number().nullable()),
      }),
    ),
    waits: z.array(z.object({ step: z.string(), ...durations })).openapi({ description: OTHER_DEFINITIONS.waits }),
    failures: z
      .array(
        z.object({
          step: z.string(),
          rows: z.number().int(),
          failed: z.number().int(),
          retried: z.number().int(),
          failedRate: z.number(),
          retriedRate: z.number(),
        }),
      )
      .openapi({ description: OTHER_DEFINITIONS.failures }),
    conversion: z
      .array(z.object({ source: z.string(), leads: z.number().int(), won: z.number().int(), rate: z.number() }))
      .openapi({ description: OTHER_DEFINITIONS.conversion }),
    money: z
      .array(
        z.object({
          currency: z.string(),
          unpaidCount: z.number().int(),
          unpaidAmount: z.number().int().openapi({ description: "In the currency's minor unit" }),
          overdueCount: z.number().int(),
          overdueAmount: z.number().int(),
        }),
      )
      .openapi({ description: OTHER_DEFINITIONS.money }),
    nps: z
      .array(
        z.object({
          month: z.string(),
          answers: z.number().int(),
          promoters: z.number().int(),
          passives: z.number().int(),
          detractors: z.number().int(),
          nps: z.number(),
          averageScore: z.number(),
        }),
      )
      .openapi({ description: OTHER_DEFINITIONS.nps }),
  })
  .openapi("Insights");

const getRoute = createRoute({
  method: "get",
  path: "/",
  summary: "Insights across the client's whole path",
  description: `The figures of the /insights page (its tables are also at /insights.csv?table=…). ${OTHER_DEFINITIONS.percentiles} ${OTHER_DEFINITIONS.month} The range defaults to the last twelve calendar months.`,
  tags: ["Insights"],
  request: {
    query: z.object({
      from: insightFilterFields.from.openapi({ description: "First day (YYYY-MM-DD), inclusive" }),
      to: insightFilterFields.to.openapi({ description: "Last day (YYYY-MM-DD), inclusive; default today" }),
      template: insightFilterFields.template.openapi({ description: "Only journeys of this template id" }),
      version: insightFilterFields.version.openapi({ description: "Only journeys of this template version" }),
    }),
  },
  responses: { 200: json(InsightsSchema, "The figures"), ...errorResponses(400) },
});

/** `GET /api/insights`: the insights of the session's workspace. */
export const insightsApi = apiRouter().openapi(getRoute, async (c) => {
  const today = todayUtc();
  const query = insightQuery(c.req.valid("query"), today);
  return c.json(await loadInsights(c.env.DB, c.get("session").workspaceId, query, today), 200);
});
