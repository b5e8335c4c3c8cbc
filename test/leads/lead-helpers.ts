import { env, exports } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { issueFormToken } from "../../src/leads/form-token";
import { leadIdFor } from "../../src/leads/lead-id";
import { APP, watchJourney } from "../world";

/** A form token as the GET page issues it, `ageMs` ago (older than the bot-fast threshold by default). */
export function formToken(workspaceId: string, options: { ageMs?: number; nonce?: string } = {}) {
  return issueFormToken(env, workspaceId, { now: Date.now() - (options.ageMs ?? 10_000), nonce: options.nonce });
}

/** The lead id a submission with this token becomes (from the nonce the token carries). */
export function leadIdOf(workspaceId: string, token: string) {
  const { n } = decodeJwt(token);
  if (typeof n !== "string") throw new Error("a form token carries its nonce");
  return leadIdFor(workspaceId, n);
}

/** The fields a person fills in (override any). */
export function leadFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: "Grace Hopper",
    email: "grace@client.test",
    phone: "+1 555 0100",
    company: "Cobol & Co",
    message: "We need a brand refresh before our launch in March.",
    website: "",
    ...overrides,
  };
}

/** POSTs the form to the Worker as a browser does (urlencoded), from the given client IP. */
export function postLead(
  workspaceId: string,
  fields: Record<string, string>,
  options: { ip?: string; contentType?: string; body?: string } = {},
) {
  return exports.default.fetch(`${APP}/f/${workspaceId}/lead`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      "cf-connecting-ip": options.ip ?? "203.0.113.10",
    },
    body: options.body ?? new URLSearchParams(fields).toString(),
  });
}

/** The hidden `_token` of a rendered form page. */
export function tokenIn(html: string): string {
  return /name="_token" value="([^"]+)"/.exec(html)?.[1] ?? "";
}

/**
 * Introspects a lead's journey (a process instance whose id is the lead id)
 * before it starts: sleeps and retry delays off, the named waits time out at
 * once. Use with `await using`.
 */
export function watchLead(leadId: string, options: { timeOut?: string[] } = {}) {
  return watchJourney(leadId, { ...options, binding: env.JOURNEYS });
}

/** The step that ends a lead's lead phase: after it the journey waits for its deal to be won. */
export const LEAD_ANSWERED = { name: "process.lead-answered" };
