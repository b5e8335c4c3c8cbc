/**
 * The link between a journey and its Notion project card
 * (`journeys.notion_page_id`). Notion events name only a page id; this finds
 * the journey without calling Notion.
 */

/** Notion page ids with or without dashes name the same page; stored dashed, lower case. */
export function normalizePageId(pageId: string): string {
  const hex = pageId.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return pageId.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Records the journey's project card. Call it right after
 * `notion.create-project-card` with the step's `pageId` (idempotent: a retry
 * writes the same value).
 */
export async function recordJourneyCard(db: D1Database, journeyId: string, pageId: string): Promise<void> {
  await db
    .prepare(
      `UPDATE journeys SET notion_page_id = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ?1 AND (notion_page_id IS NULL OR notion_page_id != ?2)`,
    )
    .bind(journeyId, normalizePageId(pageId))
    .run();
}

/** The journey whose card is `pageId`, within the workspace (none when the page is not a card). */
export async function findJourneyIdByCard(db: D1Database, workspaceId: string, pageId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT id FROM journeys WHERE notion_page_id = ? AND workspace_id = ? ORDER BY created_at LIMIT 1")
    .bind(normalizePageId(pageId), workspaceId)
    .first<{ id: string }>();
  return row?.id ?? null;
}

/** The journey's card and deal, for the sync in either direction. */
export async function findJourneyCard(
  db: D1Database,
  journeyId: string,
): Promise<{ workspaceId: string; dealId: string; pageId: string | null } | null> {
  const row = await db
    .prepare("SELECT workspace_id, deal_id, notion_page_id FROM journeys WHERE id = ?")
    .bind(journeyId)
    .first<{ workspace_id: string; deal_id: string; notion_page_id: string | null }>();
  return row ? { workspaceId: row.workspace_id, dealId: row.deal_id, pageId: row.notion_page_id } : null;
}
