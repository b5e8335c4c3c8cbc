import { readInsightRows } from "../store/insights";
import { computeInsights, rangeBounds } from "./compute";
import type { InsightQuery, Insights } from "./rows";

/** The insights of one workspace for a query, as of `today` (YYYY-MM-DD: the day overdue is judged on). */
export async function loadInsights(
  db: D1Database,
  workspaceId: string,
  query: InsightQuery,
  today: string,
): Promise<Insights> {
  const rows = await readInsightRows(db, workspaceId, rangeBounds(query));
  return computeInsights(rows, query, today);
}

/** Today's date in UTC, YYYY-MM-DD. */
export const todayUtc = () => new Date().toISOString().slice(0, 10);
