import { type Context, Hono } from "hono";
import { requireSession, type SessionEnv } from "../../auth/session";
import { AppError, NotFoundError, ValidationError } from "../../errors";
import { findContractByJourney } from "../../store/contracts";
import { listReversals } from "../../store/journey-reversals";
import { sandboxEnabled } from "../sandbox/mode";
import { actOnStep, changeJourney } from "./journey-actions";
import { JourneyListPage } from "./journey-list-page";
import { DONE_NOTICES, type DoneNotice, JourneyPage } from "./journey-page";
import { FILTERS, type JourneyFilter, journeyView, listJourneyViews } from "./journey-view";
import { resolveReversal } from "./reversal-actions";

const isFilter = (value: string): value is JourneyFilter => Object.hasOwn(FILTERS, value);
const isDone = (value: string | undefined): value is DoneNotice =>
  value !== undefined && Object.hasOwn(DONE_NOTICES, value);

/**
 * The owner's client pages: `/journeys` (list with status filters) and
 * `/journeys/:id` (timeline and actions). Actions are HTML forms that POST
 * here with `_csrf` and redirect back with a notice; a refused action renders
 * the page again with the reason (409).
 */
export const journeyPages = new Hono<SessionEnv>()
  .use(requireSession({ redirect: true }))
  .get("/", async (c) => {
    const status = c.req.query("status") ?? "all";
    if (!isFilter(status)) throw new ValidationError(`Unknown status filter "${status.slice(0, 40)}"`);
    const session = c.get("session");
    const journeys = await listJourneyViews(c.env, session.workspaceId, status);
    return c.html(
      <JourneyListPage journeys={journeys} filter={status} csrf={session.csrfToken} sandbox={sandboxEnabled(c.env)} />,
    );
  })
  .get("/:id", async (c) => {
    const session = c.get("session");
    const view = await journeyView(c.env, session.workspaceId, c.req.param("id"));
    if (!view) throw new NotFoundError("unknown_journey", "No such journey");
    const done = c.req.query("done");
    const contract = await findContractByJourney(c.env.DB, view.journey.id);
    const reversals = await listReversals(c.env.DB, view.journey.id);
    return c.html(
      <JourneyPage
        view={view}
        csrf={session.csrfToken}
        sandbox={sandboxEnabled(c.env)}
        done={isDone(done) ? done : undefined}
        agreementAccepted={contract?.status === "accepted"}
        reversals={reversals}
      />,
    );
  })
  .post("/:id/:action{pause|resume|cancel}", async (c) => {
    const action = c.req.param("action") as "pause" | "resume" | "cancel";
    const id = c.req.param("id");
    return afterAction(c, id, action, () => changeJourney(c.env, c.get("session").workspaceId, id, action));
  })
  .post("/:id/steps/:step/:action{retry|skip|approve}", async (c) => {
    const action = c.req.param("action") as "retry" | "skip" | "approve";
    const { id, step } = c.req.param();
    const { workspaceId, googleSub } = c.get("session");
    return afterAction(c, id, action, () => actOnStep(c.env, workspaceId, id, step, action, googleSub));
  })
  .post("/:id/reversals/:reversalId/resolve", async (c) => {
    const { id, reversalId } = c.req.param();
    return afterAction(c, id, "resolve", () => resolveReversal(c.env, c.get("session").workspaceId, id, reversalId));
  });

/** Redirects back with the notice; a refused action (409) shows the page again with its reason. */
async function afterAction(
  c: Context<SessionEnv>,
  id: string,
  action: DoneNotice,
  run: () => Promise<unknown>,
): Promise<Response> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 409) throw error;
    const session = c.get("session");
    const view = await journeyView(c.env, session.workspaceId, id);
    if (!view) throw error;
    const reversals = await listReversals(c.env.DB, view.journey.id);
    const page = { view, csrf: session.csrfToken, sandbox: sandboxEnabled(c.env), reversals };
    return c.html(<JourneyPage {...page} error={error.message} />, 409);
  }
  return c.redirect(`/journeys/${encodeURIComponent(id)}?done=${action}`, 303);
}
