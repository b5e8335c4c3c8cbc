import type { AppEnv } from "../../src/env";
import { ConnectionError } from "../../src/errors";
import { getConnection } from "../../src/store/connections";

/** The project board (data source) the workspace picked after connecting Notion. */
export async function notionBoardId(env: AppEnv, workspaceId: string): Promise<string> {
  const connection = await getConnection(env.DB, env, workspaceId, "notion");
  const boardId = connection.config.boardId;
  if (!boardId) throw new ConnectionError("notion", "Pick the Notion project board first");
  return boardId;
}
