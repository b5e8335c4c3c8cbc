import { Hono } from "hono";
import { z } from "zod";
import { listBoards } from "../../integrations/notion/boards";
import { grantFromRestrictedKey } from "../../integrations/stripe/restricted-key";
import { requireSession, type SessionEnv } from "../auth/session";
import { ValidationError } from "../errors";
import { listConnections, updateConnectionConfig } from "../store/connection-admin";
import { ConnectionsPage, NotionBoardPage } from "../ui/connections-page";
import { storeGrant } from "./connect-routes";
import { PROVIDERS } from "./oauth-providers";

const NOTICES: Record<string, (p: string) => string> = {
  connected: (p) => `${p} is connected.`,
  disconnected: (p) => `${p} is disconnected and its tokens are deleted.`,
  board: (name) => `Notion board set to ${name}.`,
};

/** The connections page and JSON, the Stripe key fallback, and the Notion board picker. */
export const setupRoutes = new Hono<SessionEnv>()
  .get("/connections", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const query = c.req.query();
    const kind = Object.keys(NOTICES).find((k) => query[k]);
    return c.html(
      <ConnectionsPage
        providers={PROVIDERS}
        connections={await listConnections(c.env.DB, session.workspaceId)}
        csrf={session.csrfToken}
        notice={kind ? NOTICES[kind]?.(query[kind] ?? "") : undefined}
        error={query.error}
      />,
    );
  })
  .get("/api/connections", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    return c.json({ connections: await listConnections(c.env.DB, session.workspaceId), csrfToken: session.csrfToken });
  })
  .post("/connections/stripe/key", requireSession({ redirect: false }), async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === "string" ? form.key : "";
    const grant = await grantFromRestrictedKey(c.env, key);
    await storeGrant(c.env, c.get("session").workspaceId, "stripe", grant, "key");
    return c.redirect("/connections?connected=stripe", 303);
  })
  .get("/connections/notion/board", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const boards = await listBoards(c.env, session.workspaceId);
    const current = (await listConnections(c.env.DB, session.workspaceId)).find((x) => x.provider === "notion");
    return c.html(
      <NotionBoardPage
        boards={boards}
        current={(current?.config as { boardId?: string })?.boardId}
        csrf={session.csrfToken}
      />,
    );
  })
  .post("/connections/notion/board", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const boardId = z.string().min(1).safeParse(form.boardId);
    if (!boardId.success) throw new ValidationError("Choose a board");
    const board = (await listBoards(c.env, session.workspaceId)).find((b) => b.id === boardId.data);
    if (!board) throw new ValidationError("That board is not shared with Clientflow");
    await updateConnectionConfig(c.env.DB, session.workspaceId, "notion", { boardId: board.id, boardName: board.name });
    return c.redirect(`/connections?board=${encodeURIComponent(board.name)}`, 303);
  });
