import { signHubspotRequest } from "../integrations/hubspot/webhook-signature";
import { type Delivery, deliver, json, notSandboxed, problem, readJson, str } from "./control-http";
import { dealStageChanged } from "./hubspot-events";
import { SANDBOX_PORTAL_ID } from "./providers";
import { addSandboxDeal } from "./sample-data";
import type { Sandbox } from "./server";

/** The stage the sandbox's pipeline calls won (the Worker's SEED_HUBSPOT_CLOSED_WON_STAGE). */
export const CLOSED_WON = "closedwon";

/**
 * HubSpot sends at most 100 events in one webhook request
 * (https://developers.hubspot.com/docs/api/webhooks, "Webhooks API": batched events).
 */
const MAX_EVENTS_PER_REQUEST = 100;
/** Deals one batch call may create or win: enough for a burst, small enough for the sandbox's memory. */
const MAX_BATCH = 500;
const MAX_AMOUNT = 10_000_000;

/** A webhook the sandbox delivered for some deals, and what the Worker answered. */
export interface DealsDelivery extends Delivery {
  dealIds: string[];
}

/** The sandbox's deals, newest first, as the control API's state lists them. */
export function dealViews(sandbox: Sandbox) {
  const { hubspot } = sandbox;
  return [...hubspot.deals].reverse().map(([id, deal]) => {
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
  });
}

const viewsOf = (sandbox: Sandbox, ids: readonly string[]) => {
  const wanted = new Set(ids);
  return dealViews(sandbox).filter((d) => wanted.has(d.id));
};

/**
 * Moves the deals to closed won, then delivers their events as HubSpot would:
 * `perDelivery` events per signed request, all requests at once (HubSpot
 * delivers in parallel, up to the app's `throttling.maxConcurrentRequests` of
 * its webhook settings: Webhooks API v3, `ThrottlingSettings`). Reports each
 * request's answer, in the order of `ids`.
 */
export async function winDeals(sandbox: Sandbox, ids: readonly string[], perDelivery = 1): Promise<DealsDelivery[]> {
  const size = Math.min(Math.max(1, Math.floor(perDelivery)), MAX_EVENTS_PER_REQUEST);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  for (const id of ids) {
    const deal = sandbox.hubspot.deals.get(id);
    if (deal) deal.properties.dealstage = CLOSED_WON;
  }
  const uri = `${sandbox.workerUrl}/webhooks/hubspot`;
  return Promise.all(
    chunks.map(async (dealIds) => {
      const body = JSON.stringify(
        dealIds.map((dealId) =>
          dealStageChanged({
            eventId: sandbox.hubspot.nextEventId(),
            portalId: SANDBOX_PORTAL_ID,
            dealId,
            stage: CLOSED_WON,
          }),
        ),
      );
      const secret = sandbox.secrets.hubspotClientSecret;
      const headers = await signHubspotRequest({ method: "POST", uri, body, secret });
      return { dealIds, ...(await deliver(sandbox, "/webhooks/hubspot", body, headers)) };
    }),
  );
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Creates `count` deals, each for a new contact with one line item; returns their ids. */
function addBatch(sandbox: Sandbox, count: number, amount: number): string[] {
  // From the clock, like the sandbox's other ids: a restarted sandbox never reuses a client's address.
  const tag = Date.now().toString(36);
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return addSandboxDeal(sandbox.hubspot, {
      name: `Batch ${tag} deal ${n}`,
      amount,
      email: `client-${tag}-${n}@client.test`,
      firstName: `Client${n}`,
      lastName: `Batch ${tag}`,
    });
  });
}

/** The control API's HubSpot deal routes (under /control/hubspot/deals); undefined for any other path. */
export async function dealControl(sandbox: Sandbox, request: Request, path: string): Promise<Response | undefined> {
  const win = /^\/hubspot\/deals\/(\d+)\/win$/.exec(path);
  const routes = ["/hubspot/deals", "/hubspot/deals/batch", "/hubspot/deals/win"];
  if (request.method !== "POST" || !(win || routes.includes(path))) return undefined;
  const off = notSandboxed(sandbox, "hubspot");
  if (off) return off;

  if (path === "/hubspot/deals") {
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
      !(Number.isFinite(input.amount) && input.amount > 0 && input.amount <= MAX_AMOUNT) && "amount",
      !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email) && "email",
      !input.firstName && "firstName",
    ].filter(Boolean);
    if (invalid.length) return problem(400, "invalid_request", `Check these fields: ${invalid.join(", ")}`);
    const id = addSandboxDeal(sandbox.hubspot, input);
    return json({ deal: viewsOf(sandbox, [id])[0] }, 201);
  }

  if (path === "/hubspot/deals/batch") {
    const body = await readJson(request);
    const amount = body.amount ?? 1200;
    if (!isInt(body.count, 1, MAX_BATCH)) {
      return problem(400, "invalid_request", `count must be a whole number from 1 to ${MAX_BATCH}`);
    }
    if (!(typeof amount === "number" && Number.isFinite(amount) && amount > 0 && amount <= MAX_AMOUNT)) {
      return problem(400, "invalid_request", `amount must be a number above 0 and at most ${MAX_AMOUNT}`);
    }
    return json({ deals: viewsOf(sandbox, addBatch(sandbox, body.count, amount)) }, 201);
  }

  if (path === "/hubspot/deals/win") {
    const body = await readJson(request);
    const ids = body.ids;
    const perDelivery = body.perDelivery ?? 1;
    if (!(Array.isArray(ids) && ids.length >= 1 && ids.length <= MAX_BATCH)) {
      return problem(400, "invalid_request", `ids must list 1 to ${MAX_BATCH} deal ids`);
    }
    if (!ids.every((id): id is string => typeof id === "string" && /^\d{1,20}$/.test(id))) {
      return problem(400, "invalid_request", "Each deal id is a string of digits");
    }
    if (new Set(ids).size !== ids.length) return problem(400, "invalid_request", "A deal id is listed twice");
    if (!isInt(perDelivery, 1, MAX_EVENTS_PER_REQUEST)) {
      return problem(400, "invalid_request", `perDelivery must be a whole number from 1 to ${MAX_EVENTS_PER_REQUEST}`);
    }
    const unknown = ids.filter((id) => !sandbox.hubspot.deals.has(id));
    if (unknown.length) return problem(404, "not_found", `No such deal: ${unknown.slice(0, 5).join(", ")}`);
    const deliveries = await winDeals(sandbox, ids, perDelivery);
    return json({ deals: viewsOf(sandbox, ids), deliveries });
  }

  if (win) {
    const id = win[1] ?? "";
    if (!sandbox.hubspot.deals.has(id)) return problem(404, "not_found", "No such deal");
    const [delivery] = await winDeals(sandbox, [id]);
    if (!delivery) throw new Error("winDeals answers one delivery per deal");
    const { dealIds: _, ...answer } = delivery;
    return json({ deal: viewsOf(sandbox, [id])[0], delivery: answer });
  }
  return undefined;
}
