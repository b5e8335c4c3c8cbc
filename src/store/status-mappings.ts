import { ValidationError } from "../errors";
import { defaultStatusMapping, type StatusMapping, statusMappingSchema } from "../fulfillment/status-mapping";

/**
 * The workspace's mapping of Notion statuses to HubSpot stages and
 * milestones; without a stored one, the defaults (the board statuses the
 * shipped templates move cards through).
 */
export async function getStatusMapping(db: D1Database, workspaceId: string): Promise<StatusMapping> {
  const row = await db
    .prepare("SELECT mapping FROM status_mappings WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ mapping: string }>();
  if (row) return statusMappingSchema.parse(JSON.parse(row.mapping));
  return defaultStatusMapping();
}

/** Validates and stores the mapping; an invalid one is refused with the first problem named. */
export async function saveStatusMapping(db: D1Database, workspaceId: string, mapping: unknown): Promise<StatusMapping> {
  const checked = statusMappingSchema.safeParse(mapping);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ValidationError(`Invalid status mapping ${issue?.path.join(".") || ""}: ${issue?.message ?? "invalid"}`);
  }
  await db
    .prepare(
      `INSERT INTO status_mappings (workspace_id, mapping) VALUES (?1, ?2)
       ON CONFLICT(workspace_id) DO UPDATE SET mapping = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(workspaceId, JSON.stringify(checked.data))
    .run();
  return checked.data;
}
