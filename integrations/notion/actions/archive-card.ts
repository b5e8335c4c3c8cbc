import { z } from "zod";
import { defineAction } from "../../core/define";
import { IntegrationError } from "../../core/errors";
import { withNotion } from "../client";

/**
 * Archives a cancelled journey's project card: moves the page to Notion's
 * trash, where the owner can still restore it. The installed SDK's
 * `UpdatePageBodyParameters` marks `archived` "@deprecated Use `in_trash`
 * instead" (API version 2026-03-11 accepts only `in_trash`:
 * https://developers.notion.com/reference/trash-page), so `in_trash` is sent.
 * Setting it again changes nothing; a card that is gone (404: deleted, or no
 * longer shared with the integration) has nothing left to archive.
 */
export const archiveCard = defineAction({
  id: "notion.archive-card",
  idempotent: "natural",
  input: z.object({ pageId: z.string().min(1) }),
  async run(ctx, { pageId }): Promise<{ pageId: string; outcome: "archived" | "gone" }> {
    try {
      await withNotion(ctx, (notion) => notion.pages.update({ page_id: pageId, in_trash: true }));
      return { pageId, outcome: "archived" };
    } catch (error) {
      if (error instanceof IntegrationError && error.httpStatus === 404) return { pageId, outcome: "gone" };
      throw error;
    }
  },
});
