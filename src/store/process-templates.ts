/**
 * D1 access for `process_templates`: append-only versions of each of a
 * workspace's templates. The store keeps the template body as the JSON it
 * was given; validating it is the caller's job (src/engine/templates.ts).
 */

/** The template id a workspace's default template is saved under (journeys that pinned none run it). */
export const DEFAULT_TEMPLATE_ID = "default";

/** One saved version of a template; `body` is the template JSON as saved. */
export interface StoredTemplate {
  templateId: string;
  version: number;
  body: unknown;
  createdBy: string | null;
  createdAt: string;
}

interface TemplateRow {
  template_id: string;
  version: number;
  body: string;
  created_by: string | null;
  created_at: string;
}

const fromRow = (row: TemplateRow): StoredTemplate => ({
  templateId: row.template_id,
  version: row.version,
  body: JSON.parse(row.body),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Appends a version of the template (the next number after its latest); returns that number. */
export async function insertTemplateVersion(
  db: D1Database,
  workspaceId: string,
  templateId: string,
  body: unknown,
  createdBy: string | null,
): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO process_templates (workspace_id, template_id, version, body, created_by)
       SELECT ?1, ?2, COALESCE(MAX(version), 0) + 1, ?3, ?4 FROM process_templates WHERE workspace_id = ?1 AND template_id = ?2
       RETURNING version`,
    )
    .bind(workspaceId, templateId, JSON.stringify(body), createdBy)
    .first<{ version: number }>();
  return row?.version ?? 0;
}

/** A template's given version, or its latest; null when the workspace never saved it. */
export async function findTemplateVersion(
  db: D1Database,
  workspaceId: string,
  templateId: string,
  version?: number,
): Promise<StoredTemplate | null> {
  const row = await db
    .prepare(
      version === undefined
        ? "SELECT * FROM process_templates WHERE workspace_id = ? AND template_id = ? ORDER BY version DESC LIMIT 1"
        : "SELECT * FROM process_templates WHERE workspace_id = ? AND template_id = ? AND version = ?",
    )
    .bind(...(version === undefined ? [workspaceId, templateId] : [workspaceId, templateId, version]))
    .first<TemplateRow>();
  return row ? fromRow(row) : null;
}

/** The latest version of every template the workspace saved, by template id. */
export async function listLatestTemplates(db: D1Database, workspaceId: string): Promise<StoredTemplate[]> {
  const { results } = await db
    .prepare(
      `SELECT t.* FROM process_templates t
       JOIN (SELECT template_id, MAX(version) AS version FROM process_templates WHERE workspace_id = ?1 GROUP BY template_id) latest
         ON latest.template_id = t.template_id AND latest.version = t.version
       WHERE t.workspace_id = ?1 ORDER BY t.template_id`,
    )
    .bind(workspaceId)
    .all<TemplateRow>();
  return results.map(fromRow);
}

/** A template's versions, newest first: who saved each and when. */
export async function listTemplateVersions(db: D1Database, workspaceId: string, templateId = DEFAULT_TEMPLATE_ID) {
  const { results } = await db
    .prepare(
      "SELECT version, created_by, created_at FROM process_templates WHERE workspace_id = ? AND template_id = ? ORDER BY version DESC",
    )
    .bind(workspaceId, templateId)
    .all<{ version: number; created_by: string | null; created_at: string }>();
  return results.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}

/** Every saved version of a template with its body, oldest first (the step ids each version used). */
export async function listTemplateBodies(
  db: D1Database,
  workspaceId: string,
  templateId: string,
): Promise<{ version: number; body: unknown }[]> {
  const { results } = await db
    .prepare("SELECT version, body FROM process_templates WHERE workspace_id = ? AND template_id = ? ORDER BY version")
    .bind(workspaceId, templateId)
    .all<{ version: number; body: string }>();
  return results.map((r) => ({ version: r.version, body: JSON.parse(r.body) }));
}

/** One saved version in a template's history, newest first: who saved it, when, under which name. */
export interface TemplateHistoryEntry {
  version: number;
  name: string;
  savedAt: string;
  /** The owner's email when known, else the stored Google sub (null for none). */
  savedBy: string | null;
}

/** A template's version history (the template's name as each version had it). */
export async function listTemplateHistory(
  db: D1Database,
  workspaceId: string,
  templateId = DEFAULT_TEMPLATE_ID,
): Promise<TemplateHistoryEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT t.version, json_extract(t.body, '$.name') AS name, COALESCE(o.email, t.created_by) AS created_by, t.created_at
       FROM process_templates t LEFT JOIN owners o ON o.google_sub = t.created_by
       WHERE t.workspace_id = ? AND t.template_id = ? ORDER BY t.version DESC`,
    )
    .bind(workspaceId, templateId)
    .all<{ version: number; name: string | null; created_by: string | null; created_at: string }>();
  return results.map((r) => ({ version: r.version, name: r.name ?? "", savedAt: r.created_at, savedBy: r.created_by }));
}

/**
 * The template bodies some journeys of a workspace pinned
 * (`journeys.template_id` + `template_version`), each with the ids of the
 * journeys that run it; one read for all. Journeys with no saved version
 * pinned (0 or null) are not in the result.
 */
export async function pinnedTemplatesOfJourneys(
  db: D1Database,
  workspaceId: string,
  journeyIds: readonly string[],
): Promise<{ body: unknown; journeyIds: string[] }[]> {
  if (journeyIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT t.body, json_group_array(j.id) AS journey_ids
       FROM journeys j
       JOIN process_templates t ON t.workspace_id = j.workspace_id
         AND t.template_id = COALESCE(j.template_id, '${DEFAULT_TEMPLATE_ID}') AND t.version = j.template_version
       WHERE j.workspace_id = ?1 AND j.id IN (SELECT value FROM json_each(?2))
       GROUP BY t.template_id, t.version`,
    )
    .bind(workspaceId, JSON.stringify(journeyIds))
    .all<{ body: string; journey_ids: string }>();
  return results.map((row) => ({ body: JSON.parse(row.body), journeyIds: JSON.parse(row.journey_ids) as string[] }));
}
