import { Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import type { NotionSubscriptionView } from "../dashboard/notion-subscription";
import type { AppEnv } from "../env";
import { log } from "../log";
import { notionSubscriptionOf, resetNotionSubscription } from "../store/notion-workspace-subscriptions";

/** The owner's internal-integration subscription as the Notion card shows it, or null. */
export async function notionSubscriptionView(
  env: AppEnv,
  origin: string,
  workspaceId: string,
): Promise<NotionSubscriptionView | null> {
  const s = await notionSubscriptionOf(env.DB, env, workspaceId);
  if (!s) return null;
  return { url: `${origin}/webhooks/notion/w/${s.urlId}`, token: s.token, tokenReceivedAt: s.tokenReceivedAt };
}

/**
 * POST /connections/notion/subscription (create, once) and …/reset (a new
 * URL id, the token forgotten): signed-in owners only, with the page's CSRF
 * token. The only way a per-workspace subscription URL comes to exist.
 */
export const notionSubscriptionRoutes = new Hono<SessionEnv>()
  .post("/", requireSession({ redirect: false }), async (c) => {
    const workspaceId = c.get("session").workspaceId;
    if (!(await notionSubscriptionOf(c.env.DB, c.env, workspaceId))) {
      await resetNotionSubscription(c.env.DB, workspaceId);
      log.info("notion subscription url created", { provider: "notion", tenant: workspaceId });
    }
    return c.redirect("/connections?subscription=1", 303);
  })
  .post("/reset", requireSession({ redirect: false }), async (c) => {
    const workspaceId = c.get("session").workspaceId;
    await resetNotionSubscription(c.env.DB, workspaceId);
    log.info("notion subscription url reset", { provider: "notion", tenant: workspaceId });
    return c.redirect("/connections?subscription=1", 303);
  });
