import { Hono } from "hono";
import { readApprovalToken } from "../../engine/approval-links";
import type { AppEnv } from "../../env";
import { NotFoundError } from "../../errors";
import { log } from "../../log";
import { approval } from "../../runtime/protocol";
import { signalJourney } from "../../runtime/signal";
import { findJourney } from "../../store/journeys";
import { HostedPage, hostedPageErrors, linkExpired, setHostedPageHeaders } from "../hosted-page";

/** The journey and step a link names: a bad or expired link is a LinkError, a deleted journey a 404. */
async function target(env: AppEnv, token: string) {
  const found = await readApprovalToken(env, token);
  const journey = await findJourney(env.DB, found.journeyId);
  if (!journey) throw new NotFoundError("unknown_link", "This approval link is not valid");
  return { ...found, journey };
}

const page = (title: string, message: string) => (
  <HostedPage title={title}>
    <h1>{title}</h1>
    <p>{message}</p>
  </HostedPage>
);

/**
 * Approving a gated step from the owner's email: `GET /a/:token` asks to
 * confirm (mail scanners follow GET links, so GET never approves),
 * `POST /a/:token` approves and wakes the journey.
 */
export const approvalRoutes = new Hono<{ Bindings: AppEnv }>()
  .get("/:token", async (c) => {
    setHostedPageHeaders(c);
    const { journey, step } = await target(c.env, c.req.param("token"));
    return c.html(
      <HostedPage title="Approve this step">
        <h1>Approve “{step}”</h1>
        <p>For {journey.clientName ?? "this client"}. Approving lets the journey continue with this step now.</p>
        <form method="post">
          <button class="primary" type="submit">
            Approve
          </button>
        </form>
      </HostedPage>,
    );
  })
  .post("/:token", async (c) => {
    setHostedPageHeaders(c);
    const { journey, step } = await target(c.env, c.req.param("token"));
    const { outcome } = await signalJourney(c.env, journey.id, approval(step), { step, by: "email-link" });
    log.info("step approved", { tenant: journey.workspaceId, journeyId: journey.id, step, outcome, via: "email" });
    return outcome === "signalled"
      ? c.html(page("Approved", "Thank you. The journey continues with this step."))
      : c.html(page("Nothing to approve", "This journey is no longer waiting for this approval."), 409);
  })
  .onError(
    hostedPageErrors(
      (status, error) =>
        linkExpired(error)
          ? {
              title: "Link expired",
              message: "This approval link has expired. You can still approve the step from the journey's page.",
            }
          : status === 404
            ? { title: "Link not valid", message: "This approval link is not valid." }
            : { title: "Something went wrong", message: "Please try again." },
      (t) => String(page(t.title, t.message)),
    ),
  );
