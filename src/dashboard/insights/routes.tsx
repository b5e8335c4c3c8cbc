import { Hono } from "hono";
import { z } from "zod";
import { requireSession, type SessionEnv } from "../../auth/session";
import { CSV_TABLES, insightsCsv } from "../../insights/csv";
import { loadInsights, todayUtc } from "../../insights/load";
import { insightQuery, lenientFilters } from "../../insights/query";
import { sandboxEnabled } from "../sandbox/mode";
import { InsightsPage } from "./insights-page";

const tableSchema = z.enum(CSV_TABLES).catch("durations");

/** GET /insights (the page) and GET /insights.csv?table=… (one of its tables, with the same filters). */
export const insightsPages = new Hono<SessionEnv>()
  .get("/insights", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const today = todayUtc();
    const query = insightQuery(lenientFilters.parse(c.req.query()), today);
    const insights = await loadInsights(c.env.DB, session.workspaceId, query, today);
    return c.html(<InsightsPage insights={insights} csrf={session.csrfToken} sandbox={sandboxEnabled(c.env)} />);
  })
  .get("/insights.csv", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const today = todayUtc();
    const query = insightQuery(lenientFilters.parse(c.req.query()), today);
    const table = tableSchema.parse(c.req.query("table"));
    const insights = await loadInsights(c.env.DB, session.workspaceId, query, today);
    c.header("content-type", "text/csv; charset=utf-8");
    c.header("content-disposition", `attachment; filename="insights-${table}-${query.from}-${query.to}.csv"`);
    return c.body(insightsCsv(insights, table));
  });
