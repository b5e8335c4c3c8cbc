import type { Provider } from "./connections";
import type { Journey } from "./journeys";

/**
 * Finding journeys by what an event knows about them (a deal, a contact, a
 * paused connection): reads of `journeys` for intake, leads and the engine.
 */

/** The journeys of the given deals, by deal id (chunked under D1's bound-parameter limit). */
export async function journeysOfDeals(
  db: D1Database,
  workspaceId: string,
  dealIds: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(dealIds)];
  for (let i = 0; i < unique.length; i += 90) {
    const chunk = unique.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT id, deal_id FROM journeys WHERE workspace_id = ? AND deal_id IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(workspaceId, ...chunk)
      .all<{ id: string; deal_id: string }>();
    for (const row of results) found.set(row.deal_id, row.id);
  }
  return found;
}

/**
 * Ids of the running or waiting follow-up journeys of any of `contactIds`,
 * other than the journey of `dealId` itself (a repurchase ends the follow-up
 * of the client's earlier deals).
 */
export async function followUpJourneysOfContacts(
  db: D1Database,
  workspaceId: string,
  dealId: string,
  contactIds: readonly string[],
): Promise<Array<Pick<Journey, "id" | "templateId" | "templateVersion">>> {
  if (contactIds.length === 0) return [];
  // The ids travel as one JSON array, so any number of contacts fits D1's bound-parameter limit.
  const { results } = await db
    .prepare(
      `SELECT id, template_id, template_version FROM journeys
       WHERE workspace_id = ?1 AND phase = 'follow_up' AND status IN ('running', 'waiting')
         AND deal_id != ?2 AND contact_id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(workspaceId, dealId, JSON.stringify(contactIds))
    .all<{ id: string; template_id: string | null; template_version: number | null }>();
  return results.map((row) => ({ id: row.id, templateId: row.template_id, templateVersion: row.template_version }));
}

/** A journey paused on a connection: what it takes to signal its Workflow instance. */
export type PausedJourney = Pick<Journey, "id" | "workflowInstanceId">;

/** The journeys of the workspace paused because `provider` needs reconnecting. */
export async function pausedJourneysFor(
  db: D1Database,
  workspaceId: string,
  provider: Provider,
): Promise<PausedJourney[]> {
  const { results } = await db
    .prepare(
      "SELECT id, workflow_instance_id FROM journeys WHERE workspace_id = ? AND status = 'paused' AND paused_for = ?",
    )
    .bind(workspaceId, provider)
    .all<{ id: string; workflow_instance_id: string }>();
  return results.map((row) => ({ id: row.id, workflowInstanceId: row.workflow_instance_id }));
}
