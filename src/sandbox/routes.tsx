import { type Context, Hono } from "hono";
import { requireSession, type SessionEnv } from "../auth/session";
import { NotFoundError } from "../errors";
import { onboardingJourneyId } from "../journey/journey-id";
import { findJourney } from "../store/journeys";
import {
  actionResultSchema,
  callControl,
  type SandboxState,
  SandboxUnavailableError,
  sandboxEmailSchema,
  sandboxStateSchema,
} from "./control-client";
import { sandboxEnabled } from "./mode";
import { type DealJourney, type PageNotice, SandboxEmailPage, SandboxPage } from "./pages";

type Ctx = Context<SessionEnv>;

const SAFE_ID = /^[\w-]{1,100}$/;

/** Back to /sandbox with a notice code and the Worker's answer to the delivered webhook. */
async function afterAction(c: Ctx, notice: string, path: string, body: unknown) {
  const { status, body: answer } = await callControl(c.env, path, { method: "POST", body });
  const query = new URLSearchParams();
  if (status >= 400) {
    const message = (answer as { message?: unknown } | null)?.message;
    query.set("notice", "error");
    query.set("reason", typeof message === "string" ? message.slice(0, 200) : `status ${status}`);
  } else {
    query.set("notice", notice);
    const delivery = actionResultSchema.safeParse(answer).data?.delivery;
    if (delivery) query.set("status", String(delivery.status));
  }
  return c.redirect(`/sandbox?${query}`, 303);
}

async function dealJourneys(c: Ctx, state: SandboxState): Promise<Map<string, DealJourney>> {
  const { workspaceId } = c.get("session");
  const found = new Map<string, DealJourney>();
  await Promise.all(
    state.deals
      .filter((d) => d.won)
      .map(async (deal) => {
        const journey = await findJourney(c.env.DB, await onboardingJourneyId(workspaceId, deal.id));
        if (journey) found.set(deal.id, { id: journey.id, phase: journey.phase, status: journey.status });
      }),
  );
  return found;
}

function idParam(c: Ctx, name: string): string {
  const value = c.req.param(name) ?? "";
  if (!SAFE_ID.test(value)) throw new NotFoundError("not_found", "No such sandbox object");
  return value;
}

async function formFields(c: Ctx): Promise<Record<string, string>> {
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * The sandbox pages (only while `npm start` runs the sandbox; 404 otherwise):
 * the emulators' state and buttons that act as a person in HubSpot, Stripe or
 * Notion would. Each action calls the sandbox's control API, which changes
 * its state and delivers the provider's signed webhook to this Worker.
 */
export const sandboxRoutes = new Hono<SessionEnv>()
  .use("*", async (c, next) => {
    if (!sandboxEnabled(c.env)) {
      return c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404);
    }
    await next();
  })
  .use("*", requireSession({ redirect: true }))
  .get("/", async (c) => {
    const session = c.get("session");
    const q = c.req.query();
    const notice: PageNotice | undefined = q.notice
      ? { code: q.notice, status: q.status, error: q.notice === "error" ? q.reason : undefined }
      : undefined;
    let state: SandboxState | null = null;
    let unavailable: string | undefined;
    try {
      const { body } = await callControl(c.env, "/state");
      const parsed = sandboxStateSchema.safeParse(body);
      if (parsed.success) state = parsed.data;
      else unavailable = "The sandbox answered with an unexpected state.";
    } catch (error) {
      if (!(error instanceof SandboxUnavailableError)) throw error;
      unavailable = error.message;
    }
    const journeys = state ? await dealJourneys(c, state) : new Map();
    return c.html(
      <SandboxPage
        csrf={session.csrfToken}
        state={state}
        journeys={journeys}
        notice={notice}
        unavailable={unavailable}
      />,
    );
  })
  .get("/emails/:id", async (c) => {
    const id = idParam(c, "id");
    const { status, body } = await callControl(c.env, `/emails/${id}`);
    const mail = status === 200 ? sandboxEmailSchema.safeParse(body).data : undefined;
    if (!mail) throw new NotFoundError("not_found", "No such email in the sandbox");
    return c.html(<SandboxEmailPage csrf={c.get("session").csrfToken} mail={mail} />);
  })
  .post("/hubspot/deals", async (c) => {
    const f = await formFields(c);
    return afterAction(c, "deal-added", "/hubspot/deals", {
      name: f.name ?? "",
      amount: Number(f.amount),
      email: f.email ?? "",
      firstName: f.firstName ?? "",
      lastName: f.lastName ?? "",
    });
  })
  .post("/hubspot/deals/:id/win", (c) => afterAction(c, "deal-won", `/hubspot/deals/${idParam(c, "id")}/win`, {}))
  .post("/stripe/invoices/:id/pay", (c) =>
    afterAction(c, "invoice-paid", `/stripe/invoices/${idParam(c, "id")}/pay`, {}),
  )
  .post("/notion/pages/:id/status", async (c) => {
    const { status } = await formFields(c);
    return afterAction(c, "card-moved", `/notion/pages/${idParam(c, "id")}/status`, { status: status ?? "" });
  });
