import type { ConnectionContext } from "../core/context";
import { ConnectionError } from "../core/errors";

/** The project board (data source) the workspace picked after connecting Notion. */
export function notionBoardId(ctx: Pick<ConnectionContext<"notion">, "config">): string {
  const boardId = ctx.config.boardId;
  if (!boardId) throw new ConnectionError("notion", "Pick the Notion project board first");
  return boardId;
}
