import { Hono } from "hono";
import { z } from "zod";
import { WEBHOOK_PROVIDERS } from "../../../integrations/registry";
import { requireSession, type SessionEnv } from "../../auth/session";
import { AppError } from "../../errors";
import { replayEvent } from "../../intake/replay";
import { webhookUrl } from "../../intake/webhook-status";
import { publicUrl } from "../../links/public-url";
import { queryWebhookEvents, webhookEventOutcomes } from "../../store/webhook-events";
import { sandboxEnabled } from "../sandbox/mode";
import { eventView } from "./event-view";
import { EventsPage, eventsHref, REPLAY_WORDS } from "./events-page";

const PAGE_SIZE = 50;

/** Filters from a query or a form; anything malformed is dropped, not echoed. */
const filtersSchema = z.object({
  provider: z.enum(WEBHOOK_PROVIDERS).optional().catch(undefined),
  outcome: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .catch(undefined),
});

const REPLAY_ERRORS: Record<string, string> = {
  not_replayable: "That event was recorded before replay was possible, so it cannot be replayed.",
  unknown_event: "That event does not exist in this workspace.",
};

/** What a replay outcome means, for the notice after the redirect (the same words the page's script shows). */
function replayNotice(id: string, outcome: string): string {
  const explained = REPLAY_WORDS[outcome] ?? `outcome ${outcome.replaceAll("_", " ")}.`;
  return `Event #${id} replayed: ${explained}`;
}

/** GET /events (the event log page) and POST /events/:id/replay (its Replay buttons). */
export const eventPageRoutes = new Hono<SessionEnv>()
  .get("/", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const filters = filtersSchema.parse(c.req.query());
    const rows = await queryWebhookEvents(c.env.DB, session.workspaceId, {
      provider: filters.provider,
      outcome: filters.outcome,
      before: filters.cursor ? Number(filters.cursor) : undefined,
      limit: PAGE_SIZE + 1,
    });
    const page = rows.slice(0, PAGE_SIZE);
    const origin = publicUrl(c.env, c.req.url);
    const replayed = c.req.query("replayed");
    const result = c.req.query("result");
    const failure = c.req.query("replay_error");
    const notice =
      replayed && /^\d+$/.test(replayed) && failure && REPLAY_ERRORS[failure]
        ? { tone: "error" as const, text: REPLAY_ERRORS[failure] }
        : replayed && /^\d+$/.test(replayed) && result && /^[a-z_]{1,40}$/.test(result)
          ? { tone: "info" as const, text: replayNotice(replayed, result) }
          : undefined;
    return c.html(
      <EventsPage
        events={page.map(eventView)}
        filters={{ provider: filters.provider, outcome: filters.outcome }}
        outcomes={await webhookEventOutcomes(c.env.DB, session.workspaceId)}
        nextCursor={rows.length > PAGE_SIZE ? String(page[page.length - 1]?.id) : null}
        webhookUrls={WEBHOOK_PROVIDERS.map((p) => ({
          provider: p,
          url: webhookUrl(origin, p) ?? "",
        }))}
        csrf={session.csrfToken}
        sandbox={sandboxEnabled(c.env)}
        notice={notice}
      />,
    );
  })
  .post("/:id/replay", requireSession({ redirect: false }), async (c) => {
    const id = c.req.param("id");
    const form = await c.req.parseBody();
    const filters = filtersSchema.parse({ provider: form.provider, outcome: form.outcome });
    const back = (extra: Record<string, string>) => {
      const base = eventsHref(filters);
      return `${base}${base.includes("?") ? "&" : "?"}${new URLSearchParams({ replayed: id, ...extra })}`;
    };
    if (!/^\d{1,15}$/.test(id)) return c.redirect(back({ replay_error: "unknown_event" }), 303);
    try {
      const { outcome } = await replayEvent(c.env, c.get("session").workspaceId, Number(id));
      return c.redirect(back({ result: outcome }), 303);
    } catch (error) {
      if (error instanceof AppError && (error.code === "not_replayable" || error.code === "unknown_event"))
        return c.redirect(back({ replay_error: error.code }), 303);
      throw error;
    }
  });
