import { type Context, Hono } from "hono";
import { requireSession, type SessionEnv } from "../../auth/session";
import { NotFoundError } from "../../errors";
import { onboardingJourneyId } from "../../runtime/journey-id";
import { findJourney } from "../../store/journeys";
import {
  actionResultSchema,
  callControl,
  type SandboxState,
  SandboxUnavailableError,
  sandboxEmailSchema,
  sandboxStateSchema,
} from "./control-client";
import { SandboxInvoicePage } from "./invoice-page";
import { sandboxEnabled } from "./mode";
import { type DealJourney, type PageNotice, SandboxEmailPage, SandboxPage } from "./pages";

type Ctx = Context<SessionEnv>;

const SAFE_ID = /^[\w-]{1,100}$/;

/**
 * Back to /sandbox (or `back`, a page of ours) with a notice code and the
 * Worker's answer to the delivered webhook.
 */
async function afterAction(
  c: Ctx,
  notice: string,
  path: string,
  body: unknown,
  options: { method?: "POST" | "DELETE"; back?: string } = {},
) {
  const method = options.method ?? "POST";
  const { status, body: answer } = await callControl(c.env, path, method === "POST" ? { method, body } : { method });
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
  return c.redirect(`${options.back ?? "/sandbox"}?${query}`, 303);
}

/** The sandbox's state, or why it is not available. */
async function loadState(c: Ctx): Promise<{ state: SandboxState | null; unavailable?: string }> {
  try {
    const { body } = await callControl(c.env, "/state");
    const parsed = sandboxStateSchema.safeParse(body);
    return parsed.success
      ? { state: parsed.data }
      : { state: null, unavailable: "The sandbox answered with an unexpected state." };
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return { state: null, unavailable: error.message };
  }
}

function noticeOf(c: Ctx): PageNotice | undefined {
  const q = c.req.query();
  return q.notice
    ? { code: q.notice, status: q.status, error: q.notice === "error" ? q.reason : undefined }
    : undefined;
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
    const notice = noticeOf(c);
    const { state, unavailable } = await loadState(c);
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
  .get("/invoices/:id", async (c) => {
    const id = idParam(c, "id");
    const { state, unavailable } = await loadState(c);
    if (!state) throw new SandboxUnavailableError(unavailable ?? "no state");
    const invoice = state.invoices.find((i) => i.id === id);
    if (!invoice) throw new NotFoundError("not_found", "No such invoice in the sandbox");
    return c.html(<SandboxInvoicePage csrf={c.get("session").csrfToken} invoice={invoice} notice={noticeOf(c)} />);
  })
  .post("/faults", async (c) => {
    const f = await formFields(c);
    return afterAction(c, "fault-added", "/faults", {
      provider: f.provider ?? "",
      status: Number(f.status),
      times: Number(f.times),
    });
  })
  .post("/faults/clear", (c) => afterAction(c, "faults-cleared", "/faults", undefined, { method: "DELETE" }))
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
  .post("/stripe/invoices/:id/pay", async (c) => {
    const id = idParam(c, "id");
    // From the sandbox invoice page, back to that page.
    const back = (await formFields(c)).back === "invoice" ? `/sandbox/invoices/${id}` : undefined;
    return afterAction(c, "invoice-paid", `/stripe/invoices/${id}/pay`, {}, { back });
  })
  .post("/notion/pages/:id/status", async (c) => {
    const { status } = await formFields(c);
    return afterAction(c, "card-moved", `/notion/pages/${idParam(c, "id")}/status`, { status: status ?? "" });
  });
