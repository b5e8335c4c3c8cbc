import { z } from "zod";
import { mayHaveWrittenBefore } from "../../core/context";
import { defineAction } from "../../core/define";
import { notionBoardId } from "../auth";
import { BOARD_PROPERTIES as P, richText } from "../board";
import { withNotion } from "../client";

/**
 * The client's project card on the board, with the onboarding checklist.
 * Search-before-create on the card's Clientflow ID makes a retry find the
 * card a previous attempt created (the first run skips the search).
 */
export const createProjectCard = defineAction({
  id: "notion.create-project-card",
  idempotent: "search",
  input: z.object({
    title: z.string().min(1).max(200),
    status: z.string().min(1),
    clientName: z.string().max(200),
    dealUrl: z.url(),
    invoiceUrl: z.url(),
    dueDate: z.iso.date(),
    checklist: z.array(z.string().min(1).max(300)).max(50),
  }),
  async run(ctx, input) {
    const boardId = notionBoardId(ctx);
    // The first run has no earlier card to find: the query is spent only when a run may have made one.
    const existing = mayHaveWrittenBefore(ctx)
      ? await withNotion(ctx, (notion) =>
          notion.dataSources.query({
            data_source_id: boardId,
            filter: { property: P.journey, rich_text: { equals: ctx.journeyId } },
            page_size: 1,
          }),
        )
      : null;
    const found = existing?.results[0];
    if (found && "url" in found) return { pageId: found.id, pageUrl: found.url, created: false };

    const page = await withNotion(ctx, (notion) =>
      notion.pages.create({
        parent: { type: "data_source_id", data_source_id: boardId },
        properties: {
          [P.title]: { title: richText(input.title) },
          [P.status]: { status: { name: input.status } },
          [P.client]: { rich_text: richText(input.clientName) },
          [P.deal]: { url: input.dealUrl },
          [P.invoice]: { url: input.invoiceUrl },
          [P.due]: { date: { start: input.dueDate } },
          [P.journey]: { rich_text: richText(ctx.journeyId) },
        },
        children: input.checklist.map((item) => ({
          object: "block" as const,
          type: "to_do" as const,
          to_do: { rich_text: richText(item), checked: false },
        })),
      }),
    );
    return {
      pageId: page.id,
      pageUrl: "url" in page ? page.url : `https://www.notion.so/${page.id.replace(/-/g, "")}`,
      created: true,
    };
  },
});
