import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { openWarningsOf } from "../store/connection-checks";
import type { Session } from "../store/sessions";
import type { OpenWarningsVariables } from "./health-banner";

/**
 * Gives each request a reader of its workspace's open connection warnings for
 * the dashboard banner (src/dashboard/health-banner.tsx). Lazy: the read
 * happens only when a page renders the frame, after the route's
 * `requireSession` has set the session; without one there is nothing to show.
 */
export const openWarnings: MiddlewareHandler<{
  Bindings: AppEnv;
  Variables: OpenWarningsVariables & { session?: Session };
}> = async (c, next) => {
  c.set("openWarnings", async () => {
    const session = c.get("session");
    return session ? openWarningsOf(c.env.DB, session.workspaceId) : { count: 0, worst: null };
  });
  await next();
};
