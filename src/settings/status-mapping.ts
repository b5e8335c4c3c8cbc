import { ValidationError } from "../errors";
import { defaultStatusMapping, type StatusMapping, statusMappingSchema } from "../fulfillment/status-mapping";
import { readStatusMapping, writeStatusMapping } from "../store/status-mappings";

/**
 * The workspace's mapping of Notion statuses to HubSpot stages and
 * milestones; without a stored one, the defaults (the board statuses the
 * shipped templates move cards through).
 */
export async function getStatusMapping(db: D1Database, workspaceId: string): Promise<StatusMapping> {
  const stored = await readStatusMapping(db, workspaceId, (json) => statusMappingSchema.parse(json));
  return stored ?? defaultStatusMapping();
}

/** Validates and stores the mapping; an invalid one is refused with the first problem named. */
export async function saveStatusMapping(db: D1Database, workspaceId: string, mapping: unknown): Promise<StatusMapping> {
  const checked = statusMappingSchema.safeParse(mapping);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ValidationError(`Invalid status mapping ${issue?.path.join(".") || ""}: ${issue?.message ?? "invalid"}`);
  }
  await writeStatusMapping(db, workspaceId, checked.data);
  return checked.data;
}
