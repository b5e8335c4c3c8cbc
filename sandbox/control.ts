import { signHubspotRequest } from "../integrations/hubspot/webhook-signature";
import { FaultInputError } from "./faults";
import { SANDBOX_PORTAL_ID, SANDBOX_PROVIDERS, SANDBOX_STATUSES, type SandboxProvider } from "./providers";
import { addSandboxDeal } from "./sample-data";
import type { Sandbox } from "./server";

/** What the Worker answered to a webhook the sandbox delivered. */
export interface Delivery {
  status: number;
  ok: boolean;
  body: unknown;
}

const CLOSED_WON = "closedwon";

const json = (body: unknown, status = 200) => Response.json(body, { status });
const problem = (status: number, error: string, message: string) => json({ error, message }, status);

async function deliver(sandbox: Sandbox, path: string, body: string, headers: Record<string, string>) {
  if (!sandbox.workerUrl) return { status: 0, ok: false, body: "the Worker's URL is not known yet" } as Delivery;
  try {
    const response = await fetch(`${sandbox.workerUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, ok: response.ok, body: parsed } as Delivery;
  } catch (error) {
    return { status: 0, ok: false, body: error instanceof Error ? error.message : "unreachable" } as Delivery;
  }
}

/**
 * Delivers a Stripe event of the sandbox's account the way Stripe would: to
 * the account's own endpoints (restricted-key mode) or to the Worker's
 * Connect endpoint with `account` (App mode). Answers the last delivery.
 */
async function deliverStripe(sandbox: Sandbox, event: { type: string } & Record<string, unknown>) {
  const account = sandbox.stripe.keyOwner(sandbox.secrets.stripeKey) ?? "";
  const connect = { url: "/webhooks/stripe", secret: sandbox.secrets.stripeWebhookSecret };
  let last: Delivery = { status: 0, ok: false, body: "no endpoint is subscribed to this event" };
  for (const d of await sandbox.stripe.webhooks.deliveries(event, account, connect))
    last = await deliver(sandbox, new URL(d.url, "http://worker").pathname, d.body, d.headers);
  return last;
}

const text = (prop: unknown): string => {
  const p = prop as
    | { title?: { text: { content: string } }[]; rich_text?: { text: { content: string } }[] }
    | undefined;
  return (p?.title ?? p?.rich_text ?? []).map((t) => t.text.content).join("");
};

/** The sandbox's state, as the Worker's sandbox page lists it. */
export function state(sandbox: Sandbox) {
  const { hubspot, stripe, notion, google } = sandbox;
  const on = (p: SandboxProvider) => sandbox.providers.includes(p);
  return {
    sandbox: true,
    providers: sandbox.providers,
    workspaceId: sandbox.workspaceId,
    closedWonStage: CLOSED_WON,
    statuses: SANDBOX_STATUSES,
    deals: on("hubspot")
      ? [...hubspot.deals].reverse().map(([id, deal]) => {
          const contact = deal.contactIds[0] ? hubspot.contacts.get(deal.contactIds[0]) : undefined;
          return {
            id,
            name: deal.properties.dealname ?? "",
            amount: Number(deal.properties.amount ?? 0),
            stage: deal.properties.dealstage ?? "",
            won: deal.properties.dealstage === CLOSED_WON,
            status: deal.properties.clientflow_status ?? null,
            contact: contact
              ? { email: contact.email ?? "", firstName: contact.firstname ?? "", lastName: contact.lastname ?? "" }
              : null,
          };
        })
      : [],
    invoices: on("stripe")
      ? [...stripe.invoices.values()].reverse().map((invoice) => ({
          id: invoice.id,
          number: invoice.number,
          status: invoice.status,
          amountDue: invoice.amount_due,
          currency: invoice.currency,
          customerEmail: stripe.customers.get(invoice.customer)?.email ?? "",
          description: invoice.description,
          hostedUrl: invoice.hosted_invoice_url,
          journeyId: invoice.metadata.clientflow_journey_id ?? null,
          createdAt: new Date(invoice.created * 1000).toISOString(),
        }))
      : [],
    cards: on("notion")
      ? [...notion.pages.values()]
          .filter((page) => !page.in_trash)
          .reverse()
          .map((page) => ({
            id: page.id,
            title: text(page.properties.Name),
            client: text(page.properties.Client),
            status: notion.value(page.id, "Status"),
            clientflowId: text(page.properties["Clientflow ID"]),
          }))
      : [],
    emails: on("google")
      ? [...google.sent].reverse().map((mail) => ({
          id: mail.id,
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          sentAt: sandbox.sentAt.get(mail.id) ?? null,
        }))
      : [],
    faults: sandbox.faults.list(),
  };
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const raw = await request.text();
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown, max = 200) => (typeof v === "string" ? v.trim().slice(0, max) : "");

/**
 * The control API (JSON) the Worker's sandbox page calls. Each action changes
 * the emulator's state the way a person would in the provider's UI, then
 * delivers the provider's signed webhook to the Worker and reports its answer.
 */
export async function control(sandbox: Sandbox, request: Request): Promise<Response | undefined> {
  const path = new URL(request.url).pathname.replace(/^\/control/, "");
  const method = request.method;
  const needs = (p: SandboxProvider) =>
    sandbox.providers.includes(p) ? undefined : problem(409, "not_sandboxed", `${p} runs against the real API`);
  const route = (verb: string, pattern: RegExp) => (method === verb ? pattern.exec(path) : null);
  if (method === "GET" && path === "/state") return json(state(sandbox));
  // A JSON content type makes a cross-site form or fetch need a CORS preflight, which is never granted.
  // (A DELETE always needs one, so it may come without a body.)
  const jsonBody = request.headers.get("content-type")?.startsWith("application/json");
  if (method !== "GET" && method !== "DELETE" && !jsonBody) {
    return problem(415, "unsupported_media_type", "Send JSON (content-type: application/json)");
  }

  if (path === "/faults" && method === "DELETE") {
    sandbox.faults.clear();
    return json({ faults: [] });
  }
  if (path === "/faults" && method === "POST") {
    const raw = await request.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(400, "invalid_request", "The body is not JSON");
    }
    try {
      const provider = (body as { provider?: unknown } | null)?.provider;
      const off =
        typeof provider === "string" && SANDBOX_PROVIDERS.includes(provider as SandboxProvider)
          ? needs(provider as SandboxProvider)
          : undefined;
      if (off) return off;
      const fault = sandbox.faults.add(body);
      return json({ fault, faults: sandbox.faults.list() }, 201);
    } catch (error) {
      if (error instanceof FaultInputError) return problem(400, "invalid_request", error.message);
      throw error;
    }
  }

  if (method === "POST" && path === "/prime") {
    // The Notion subscription handshake (per workspace, `?workspace=`). It is also the Worker's
    // first webhook request, on which it seeds the sandbox workspace and its owner.
    if (sandbox.providers.includes("notion")) {
      const body = sandbox.notion.handshakeBody();
      const delivery = await deliver(sandbox, `/webhooks/notion?workspace=${sandbox.workspaceId}`, body, {});
      return json({ ...delivery, ok: delivery.ok || delivery.status === 409 });
    }
    // Without Notion: any webhook request seeds; an unsigned one is refused after seeding.
    const delivery = await deliver(sandbox, "/webhooks/stripe", "{}", {});
    return json({ ...delivery, ok: delivery.status === 401 || delivery.status === 400 });
  }

  const email = route("GET", /^\/emails\/([\w-]+)$/);
  if (email) {
    const mail = sandbox.google.sent.find((s) => s.id === email[1]);
    if (!mail) return problem(404, "not_found", "No such email");
    return json({ ...mail, sentAt: sandbox.sentAt.get(mail.id) ?? null });
  }

  if (method === "POST" && path === "/hubspot/deals") {
    const off = needs("hubspot");
    if (off) return off;
    const body = await readJson(request);
    const input = {
      name: str(body.name),
      amount: Number(body.amount),
      email: str(body.email, 254).toLowerCase(),
      firstName: str(body.firstName, 100),
      lastName: str(body.lastName, 100),
    };
    const invalid = [
      !input.name && "name",
      !(Number.isFinite(input.amount) && input.amount > 0 && input.amount <= 10_000_000) && "amount",
      !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email) && "email",
      !input.firstName && "firstName",
    ].filter(Boolean);
    if (invalid.length) return problem(400, "invalid_request", `Check these fields: ${invalid.join(", ")}`);
    const id = addSandboxDeal(sandbox.hubspot, input);
    return json({ deal: state(sandbox).deals.find((d) => d.id === id) }, 201);
  }

  const win = route("POST", /^\/hubspot\/deals\/(\d+)\/win$/);
  if (win) {
    const off = needs("hubspot");
    if (off) return off;
    const id = win[1] ?? "";
    const deal = sandbox.hubspot.deals.get(id);
    if (!deal) return problem(404, "not_found", "No such deal");
    deal.properties.dealstage = CLOSED_WON;
    const events = [
      {
        eventId: sandbox.hubspot.nextEventId(),
        subscriptionId: 1,
        portalId: Number(SANDBOX_PORTAL_ID),
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: "deal.propertyChange",
        attemptNumber: 0,
        objectId: Number(id),
        propertyName: "dealstage",
        propertyValue: CLOSED_WON,
        changeSource: "CRM_UI",
      },
    ];
    const body = JSON.stringify(events);
    const uri = `${sandbox.workerUrl}/webhooks/hubspot`;
    const headers = await signHubspotRequest({
      method: "POST",
      uri,
      body,
      secret: sandbox.secrets.hubspotClientSecret,
    });
    const delivery = await deliver(sandbox, "/webhooks/hubspot", body, headers);
    return json({ deal: state(sandbox).deals.find((d) => d.id === id), delivery });
  }

  const pay = route("POST", /^\/stripe\/invoices\/(in_\w+)\/pay$/);
  if (pay) {
    const off = needs("stripe");
    if (off) return off;
    const invoice = sandbox.stripe.invoices.get(pay[1] ?? "");
    if (!invoice) return problem(404, "not_found", "No such invoice");
    if (invoice.status !== "open") return problem(409, "not_open", `The invoice is ${invoice.status}, not open`);
    const delivery = await deliverStripe(sandbox, sandbox.stripe.event("invoice.paid", sandbox.stripe.pay(invoice.id)));
    return json({ invoice: state(sandbox).invoices.find((i) => i.id === invoice.id), delivery });
  }

  const move = route("POST", /^\/notion\/pages\/([\w-]+)\/status$/);
  if (move) {
    const off = needs("notion");
    if (off) return off;
    const id = move[1] ?? "";
    if (!sandbox.notion.pages.has(id)) return problem(404, "not_found", "No such card");
    const status = str((await readJson(request)).status);
    if (!SANDBOX_STATUSES.includes(status))
      return problem(400, "invalid_request", `Status must be one of: ${SANDBOX_STATUSES.join(", ")}`);
    const event = sandbox.notion.changeStatusAsUser(id, status);
    const { body, headers } = await sandbox.notion.delivery(event);
    const delivery = await deliver(sandbox, `/webhooks/notion?workspace=${sandbox.workspaceId}`, body, headers);
    return json({ card: state(sandbox).cards.find((c) => c.id === id), delivery });
  }

  return problem(404, "not_found", `No control route for ${method} ${path}`);
}
