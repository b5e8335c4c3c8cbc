import { z } from "zod";
import { defineAction } from "../../core/define";
import { BOARD_PROPERTIES as P } from "../board";
import { withNotion } from "../client";

/** Sets the card's Status; setting the same status again changes nothing. */
export const moveCard = defineAction({
  id: "notion.move-card",
  idempotent: "natural",
  input: z.object({ pageId: z.string().min(1), status: z.string().min(1) }),
  async run(ctx, input) {
    await withNotion(ctx, (notion) =>
      notion.pages.update({ page_id: input.pageId, properties: { [P.status]: { status: { name: input.status } } } }),
    );
    return { pageId: input.pageId, status: input.status };
  },
});
