import { isFullPage } from "@notionhq/client";
import { z } from "zod";
import { defineAction } from "../../core/define";
import { BOARD_PROPERTIES as P } from "../board";
import { withNotion } from "../client";

type PageProperty = { type: string } & Record<string, unknown>;

const plainText = (items: unknown) =>
  Array.isArray(items) ? items.map((item: { plain_text?: string }) => item.plain_text ?? "").join("") : "";

/** The option name of a status (or select) property; null when empty or of another type. */
export function optionName(property: PageProperty | undefined): string | null {
  if (!property || (property.type !== "status" && property.type !== "select")) return null;
  const option = property[property.type] as { name?: string } | null;
  return option?.name ?? null;
}

/** The text of a rich text (or title) property; null when of another type. */
export function textOf(property: PageProperty | undefined): string | null {
  if (!property || (property.type !== "rich_text" && property.type !== "title")) return null;
  return plainText(property[property.type]);
}

/**
 * Reads a project card as it is now: its Status and Clientflow ID. Notion
 * webhook events carry ids only, so the page is always re-read.
 * https://developers.notion.com/reference/retrieve-a-page
 */
export const getCard = defineAction({
  id: "notion.get-card",
  idempotent: "natural",
  input: z.object({ pageId: z.string().min(1) }),
  async run(ctx, { pageId }) {
    const page = await withNotion(ctx, (notion) => notion.pages.retrieve({ page_id: pageId }));
    if (!isFullPage(page)) return { pageId: page.id, status: null, journeyId: null, inTrash: false };
    const properties = page.properties as Record<string, PageProperty>;
    return {
      pageId: page.id,
      status: optionName(properties[P.status]),
      journeyId: textOf(properties[P.journey]),
      inTrash: page.in_trash,
    };
  },
});
