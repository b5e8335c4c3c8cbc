import { Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import { NotFoundError } from "../errors";
import { signalJourney } from "../journey/signal";
import { log } from "../log";
import { findJourney } from "../store/journeys";
import { approvalEventType } from "./process-params";

/** Journey actions for the owner (behind the session; changes need the CSRF header). */
export const journeyRoutes = new Hono<SessionEnv>()
  .use(requireSession({ redirect: false }))
  .post("/:id/steps/:step/approve", async (c) => {
    const { workspaceId, googleSub } = c.get("session");
    const journey = await findJourney(c.env.DB, c.req.param("id"));
    if (!journey || journey.workspaceId !== workspaceId) throw new NotFoundError("unknown_journey", "No such journey");
    const step = c.req.param("step");
    if (!/^[a-z_]+\.[a-z][a-z0-9-]{1,40}$/.test(step)) throw new NotFoundError("unknown_step", "No such step");
    const { outcome } = await signalJourney(
      c.env,
      journey.id,
      approvalEventType(step),
      { step, by: googleSub },
      workspaceId,
    );
    log.info("step approved", { tenant: workspaceId, journeyId: journey.id, step, outcome });
    return c.json({ journeyId: journey.id, step, outcome }, outcome === "signalled" ? 202 : 409);
  });
