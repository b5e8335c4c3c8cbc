import { CLOSED_WON, dealControl, dealViews } from "./control-deals";
import { deliver, json, notSandboxed, problem, readJson, str } from "./control-http";
import { deliverStripe, paymentControl } from "./control-payments";
import { FaultInputError } from "./faults";
import { SANDBOX_PROVIDERS, SANDBOX_STATUSES, type SandboxProvider } from "./providers";
import type { Sandbox } from "./server";

const text = (prop: unknown): string => {
  const p = prop as
    | { title?: { text: { content: string } }[]; rich_text?: { text: { content: string } }[] }
    | undefined;
  return (p?.title ?? p?.rich_text ?? []).map((t) => t.text.content).join("");
};

/** The sandbox's state, as the Worker's sandbox page lists it. */
export function state(sandbox: Sandbox) {
  const { stripe, notion, google } = sandbox;
  const on = (p: SandboxProvider) => sandbox.providers.includes(p);
  return {
    sandbox: true,
    providers: sandbox.providers,
    workspaceId: sandbox.workspaceId,
    closedWonStage: CLOSED_WON,
    statuses: SANDBOX_STATUSES,
    deals: on("hubspot") ? dealViews(sandbox) : [],
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

/**
 * The control API (JSON) the Worker's sandbox page calls. Each action changes
 * the emulator's state the way a person would in the provider's UI, then
 * delivers the provider's signed webhook to the Worker and reports its answer.
 */
export async function control(sandbox: Sandbox, request: Request): Promise<Response | undefined> {
  const path = new URL(request.url).pathname.replace(/^\/control/, "");
  const method = request.method;
  const needs = (p: SandboxProvider) => notSandboxed(sandbox, p);
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
    // The public integration's subscription handshake, as Notion sends it when the subscription is
    // created (the Worker keeps it as a pending candidate; events verify with the
    // NOTION_WEBHOOK_VERIFICATION_TOKEN the sandbox wrote). It is also the Worker's first webhook
    // request, on which it seeds the sandbox workspace and its owner.
    if (sandbox.providers.includes("notion")) {
      const delivery = await deliver(sandbox, "/webhooks/notion", sandbox.notion.handshakeBody(), {});
      return json({ ...delivery, ok: delivery.ok });
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

  const deals = await dealControl(sandbox, request, path);
  if (deals) return deals;

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

  const payments = await paymentControl(sandbox, request, path);
  if (payments) return payments;

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
    const delivery = await deliver(sandbox, "/webhooks/notion", body, headers);
    return json({ card: state(sandbox).cards.find((c) => c.id === id), delivery });
  }

  return problem(404, "not_found", `No control route for ${method} ${path}`);
}
