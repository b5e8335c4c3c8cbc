import { z } from "zod";
import { defineAction } from "../../define";
import { BOARD_PROPERTIES } from "../board";
import { withNotion } from "../client";

/**
 * Reads a card's current Status (Notion webhooks carry ids only, so every
 * status change is confirmed by reading the page).
 */
export const getCardStatus = defineAction({
  id: "notion.get-card-status",
  idempotent: "natural",
  input: z.object({ pageId: z.string().min(1) }),
  async run(ctx, { pageId }) {
    const page = await withNotion(ctx.env, ctx.workspaceId, (notion) => notion.pages.retrieve({ page_id: pageId }));
    const property = "properties" in page ? page.properties[BOARD_PROPERTIES.status] : undefined;
    const status = property && property.type === "status" ? (property.status?.name ?? null) : null;
    return { pageId, status };
  },
});
