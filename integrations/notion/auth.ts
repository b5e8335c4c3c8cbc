import type { AppEnv } from "../../src/env";
import { ConnectionError } from "../../src/errors";
import { getConnection } from "../../src/store/connections";

/** The workspace's Notion token and the project board (data source) it uses. */
export async function notionCredentials(env: AppEnv, workspaceId: string): Promise<{ token: string; boardId: string }> {
  const connection = await getConnection(env.DB, env, workspaceId, "notion");
  const boardId = connection.config.boardId;
  if (!boardId) throw new ConnectionError("notion", "Pick the Notion project board first");
  return { token: connection.credentials.accessToken, boardId };
}
