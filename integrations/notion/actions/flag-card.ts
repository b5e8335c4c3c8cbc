import { type Client, isFullBlock } from "@notionhq/client";
import { z } from "zod";
import { defineAction } from "../../core/define";
import { withNotion } from "../client";

/** How many pages of children (100 blocks each) are searched for an earlier append. */
const MAX_LIST_PAGES = 20;

/** The muted text that ties a flag to what raised it (a Stripe event id), so a replay finds the flag it added. */
export const flagMarker = (flagId: string) => `Clientflow flag ${flagId}`;

/** The callout already appended with this marker, if any. */
async function findFlag(notion: Client, pageId: string, marker: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const list = await notion.blocks.children.list({ block_id: pageId, page_size: 100, start_cursor: cursor });
    for (const block of list.results) {
      if (!isFullBlock(block) || block.type !== "callout") continue;
      if (block.callout.rich_text.some((t) => t.plain_text.includes(marker))) return block.id;
    }
    if (!list.has_more || !list.next_cursor) return null;
    cursor = list.next_cursor;
  }
  return null;
}

/**
 * Flags the project card: appends a red callout ("⚠️ Payment reversed in
 * Stripe: check before going on") to the card's body, where the team sees it
 * when it opens the card. Search-before-append like `notion.record-survey`:
 * Notion's append takes no idempotency key, so the card's children are
 * listed first and a callout carrying this flag's marker means an earlier
 * attempt (or a replayed event) already wrote it.
 * https://developers.notion.com/reference/patch-block-children (block type `callout`:
 * CalloutBlockObjectResponse in @notionhq/client)
 */
export const flagCard = defineAction({
  id: "notion.flag-card",
  idempotent: "search",
  input: z.object({ pageId: z.string().min(1), flagId: z.string().min(1).max(200), text: z.string().min(1).max(300) }),
  async run(ctx, { pageId, flagId, text }) {
    const marker = flagMarker(flagId);
    const result = await withNotion(ctx, async (notion) => {
      const existing = await findFlag(notion, pageId, marker);
      if (existing) return { id: existing, created: false };
      const appended = await notion.blocks.children.append({
        block_id: pageId,
        children: [
          {
            object: "block",
            type: "callout",
            callout: {
              icon: { type: "emoji", emoji: "⚠️" },
              color: "red_background",
              rich_text: [
                { type: "text", text: { content: text }, annotations: { bold: true } },
                { type: "text", text: { content: ` (${marker})` }, annotations: { color: "gray", italic: true } },
              ],
            },
          },
        ],
      });
      return { id: appended.results[0]?.id ?? "", created: true };
    });
    return { pageId, blockId: result.id, created: result.created };
  },
});
