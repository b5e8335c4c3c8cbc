import { HttpResponse, http } from "msw";
import { TEST_BINDINGS as B } from "../bindings";
import type { World } from "../world";
import type { Case } from "./journeys";

/** The faults a provider call meets: server errors, timeouts, rate limits, a dropped connection. */
export const FAULTS = ["500", "502", "503", "504 timeout", "408 timeout", "429 + Retry-After", "429", "reset"] as const;
export type Fault = (typeof FAULTS)[number];

/** The provider steps of the onboarding preset that write, one per provider. */
export const STEPS = {
  hubspot: "onboarding.update-deal",
  stripe: "onboarding.invoice",
  notion: "onboarding.project-card",
  gmail: "onboarding.welcome-email",
} as const;
export type Provider = keyof typeof STEPS;
export const PROVIDERS = Object.keys(STEPS) as Provider[];

/** The provider's answer for a fault (a reset is a network error: fetch throws). */
export function faultResponse(fault: Fault): Response {
  if (fault === "reset") return HttpResponse.error();
  const status = Number.parseInt(fault, 10);
  const headers: Record<string, string> = fault === "429 + Retry-After" ? { "retry-after": "1" } : {};
  return HttpResponse.json(
    { message: `injected ${fault}`, error: { message: `injected ${fault}` } },
    { status, headers },
  );
}

/** The part of a request the fault plans read. */
type Seen = { url: string; clone(): { arrayBuffer(): Promise<ArrayBuffer> } };

/** Whether a request belongs to the case's step at `provider` (read from a clone of its body). */
async function belongs(provider: Provider, c: Case, request: Seen): Promise<boolean> {
  // Bytes, decoded here: workerd warns when a form body is read with text().
  const text = new TextDecoder().decode(await request.clone().arrayBuffer());
  if (provider === "hubspot") return text.includes("clientflow_invoice_url");
  if (provider === "gmail") {
    const raw = (JSON.parse(text) as { raw?: string }).raw ?? "";
    const mime = atob(raw.replaceAll("-", "+").replaceAll("_", "/"));
    return mime.includes(c.email);
  }
  // Stripe's form body and Notion's JSON both carry the journey id (metadata; the Clientflow ID property).
  return decodeURIComponent(text).includes(c.journeyId);
}

/** One case's plan at one provider: how many more attempts meet the fault, and how many did. */
export interface Plan {
  c: Case;
  provider: Provider;
  fault: Fault;
  /** Attempts still to fail; Infinity until the test lifts the fault. */
  left: number;
  faulted: number;
}

/**
 * Puts the plans on the network: each provider's write endpoint answers a
 * planned case's request with its fault while attempts are left, and lets
 * everything else through to the emulator.
 */
export function injectFaults(world: World, plans: Plan[]) {
  const routes: Record<Provider, ReturnType<typeof http.post>> = {
    hubspot: http.patch(`${B.HUBSPOT_API_BASE}/crm/v3/objects/deals/:deal`, (info) => answer("hubspot", info.request)),
    stripe: http.post(`${B.STRIPE_API_BASE}/v1/invoices`, (info) => answer("stripe", info.request)),
    notion: http.post(`${B.NOTION_API_BASE}/v1/pages`, (info) => answer("notion", info.request)),
    gmail: http.post(`${B.GOOGLE_API_BASE}/gmail/v1/users/me/messages/send`, (info) => answer("gmail", info.request)),
  };
  async function answer(provider: Provider, request: Seen): Promise<Response | undefined> {
    for (const plan of plans) {
      if (plan.provider !== provider || plan.left <= 0 || !(await belongs(provider, plan.c, request))) continue;
      if (provider === "hubspot" && !request.url.endsWith(`/deals/${plan.c.deal}`)) continue;
      plan.left -= 1;
      plan.faulted += 1;
      return faultResponse(plan.fault);
    }
    return undefined;
  }
  world.network.use(...Object.values(routes));
}
