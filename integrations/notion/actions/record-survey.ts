import { type Client, isFullBlock } from "@notionhq/client";
import { z } from "zod";
import { defineAction } from "../../core/define";
import { surveyAnswer } from "../../core/survey-answer";
import { richText } from "../board";
import { withNotion } from "../client";

/** How many pages of children (100 blocks each) are searched for an earlier append. */
const MAX_LIST_PAGES = 20;

/** The muted text that ties a block to its survey, so a retry finds the block it already added. */
export const surveyMarker = (surveyId: string) => `Clientflow survey ${surveyId}`;

/** The block already appended for this survey, if any (paragraphs whose text carries the marker). */
async function findSurveyBlock(notion: Client, pageId: string, marker: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const list = await notion.blocks.children.list({ block_id: pageId, page_size: 100, start_cursor: cursor });
    for (const block of list.results) {
      if (!isFullBlock(block) || block.type !== "paragraph") continue;
      if (block.paragraph.rich_text.some((t) => t.plain_text.includes(marker))) return block.id;
    }
    if (!list.has_more || !list.next_cursor) return null;
    cursor = list.next_cursor;
  }
  return null;
}

/**
 * Appends "Survey: 9/10 — comment" to the project card as a paragraph.
 * Search-before-append: the card's children are listed first and a block
 * carrying this survey's marker means a previous attempt already wrote it.
 * The app reads the answer and marks it synced.
 * https://developers.notion.com/reference/patch-block-children
 */
export const recordSurvey = defineAction({
  id: "notion.record-survey",
  idempotent: "search",
  input: z.object({ pageId: z.string().min(1), survey: surveyAnswer }),
  async run(ctx, { pageId, survey }) {
    const marker = surveyMarker(survey.id);
    const result = await withNotion(ctx, async (notion) => {
      const existing = await findSurveyBlock(notion, pageId, marker);
      if (existing) return { id: existing, created: false };
      const appended = await notion.blocks.children.append({
        block_id: pageId,
        children: [
          {
            object: "block",
            type: "paragraph",
            paragraph: {
              rich_text: [
                { type: "text", text: { content: `Survey: ${survey.score}/10` }, annotations: { bold: true } },
                ...(survey.comment ? [{ type: "text" as const, text: { content: " — " } }] : []),
                ...(survey.comment ? richText(survey.comment) : []),
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
