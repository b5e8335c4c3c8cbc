import type { SandboxProvider } from "./providers";

/** The statuses a simulated outage can answer with. */
export const FAULT_STATUSES = [400, 429, 500, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
export const MAX_FAULT_TIMES = 20;

/** A simulated outage: the next `times` matching API calls to `provider` answer `status`. */
export interface Fault {
  id: string;
  provider: SandboxProvider;
  status: FaultStatus;
  /** Calls left to fail. */
  times: number;
  /** Only calls with this HTTP method (upper case). */
  method: string | null;
  /** Only calls whose path contains this text. */
  pathContains: string | null;
}

/** A fault request the control API refused; the message says which field and why. */
export class FaultInputError extends Error {}

const PROVIDERS: readonly SandboxProvider[] = ["hubspot", "stripe", "notion", "google"];

/**
 * The provider API call a request is, or null for what a fault never touches:
 * the control API, Google's sign-in page, the OAuth token/revoke endpoints and
 * Google's signing keys (owner sign-in and token refresh), and the HubSpot app
 * redirect. Stripe is served at the root (`/v1/…`).
 */
export function providerOf(path: string): SandboxProvider | null {
  if (/\/oauth2?\//.test(path) || /^\/google\/(token|revoke)$/.test(path)) return null;
  if (path.startsWith("/hubspot/")) return "hubspot";
  if (path.startsWith("/notion/")) return "notion";
  if (path.startsWith("/google/gmail/") || path.startsWith("/google/calendar/")) return "google";
  if (path.startsWith("/v1/")) return "stripe";
  return null;
}

/** Stripe's, HubSpot's, Notion's and Google's error shapes for each simulated status. */
const WORDS: Record<FaultStatus, { stripe: string; hubspot: string; notion: string; google: string; text: string }> = {
  400: {
    stripe: "invalid_request_error",
    hubspot: "VALIDATION_ERROR",
    notion: "validation_error",
    google: "INVALID_ARGUMENT",
    text: "the request was rejected",
  },
  429: {
    stripe: "invalid_request_error",
    hubspot: "RATE_LIMITS",
    notion: "rate_limited",
    google: "RESOURCE_EXHAUSTED",
    text: "too many requests",
  },
  500: {
    stripe: "api_error",
    hubspot: "INTERNAL_ERROR",
    notion: "internal_server_error",
    google: "INTERNAL",
    text: "internal server error",
  },
  503: {
    stripe: "api_error",
    hubspot: "SERVICE_UNAVAILABLE",
    notion: "service_unavailable",
    google: "UNAVAILABLE",
    text: "service unavailable",
  },
};

/** The provider-shaped error answer of a fault. */
export function faultResponse(fault: Pick<Fault, "provider" | "status">): Response {
  const words = WORDS[fault.status];
  const message = `Simulated outage (sandbox): ${words.text}`;
  const body =
    fault.provider === "stripe"
      ? { error: { type: words.stripe, message, ...(fault.status === 429 ? { code: "rate_limit" } : {}) } }
      : fault.provider === "hubspot"
        ? { status: "error", message, category: words.hubspot, correlationId: crypto.randomUUID() }
        : fault.provider === "notion"
          ? { object: "error", status: fault.status, code: words.notion, message }
          : { error: { code: fault.status, message, status: words.google } };
  const headers: Record<string, string> = {};
  // A short Retry-After keeps the app's backoff brief in the sandbox.
  if (fault.status === 429 || fault.status === 503) headers["retry-after"] = "1";
  if (fault.provider === "stripe") headers["request-id"] = `req_fault_${Date.now()}`;
  return Response.json(body, { status: fault.status, headers });
}

/** The sandbox's simulated outages, in the order they were added (the oldest matching one answers first). */
export class FaultRegistry {
  private faults: Fault[] = [];
  private seq = 0;

  /** Validates `input` (`{ provider, status, times, method?, pathContains? }`) and adds it; throws FaultInputError. */
  add(input: unknown): Fault {
    const body = input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const problems: string[] = [];
    const provider = PROVIDERS.find((p) => p === body.provider);
    if (!provider) problems.push(`provider must be one of ${PROVIDERS.join(", ")}`);
    const status = FAULT_STATUSES.find((s) => s === body.status);
    if (!status) problems.push(`status must be one of ${FAULT_STATUSES.join(", ")}`);
    const times = body.times;
    if (typeof times !== "number" || !Number.isInteger(times) || times < 1 || times > MAX_FAULT_TIMES)
      problems.push(`times must be a whole number from 1 to ${MAX_FAULT_TIMES}`);
    const method = optional(body.method, /^[A-Za-z]{3,7}$/, "method must be an HTTP method", problems);
    const pathContains = optional(body.pathContains, /^[\w./:-]{1,100}$/, "pathContains must be a path", problems);
    if (problems.length || !provider || !status || typeof times !== "number") {
      throw new FaultInputError(problems.join("; "));
    }
    this.seq += 1;
    const fault: Fault = {
      id: `fault-${this.seq}`,
      provider,
      status,
      times,
      method: method?.toUpperCase() ?? null,
      pathContains,
    };
    this.faults.push(fault);
    return { ...fault };
  }

  /** The fault that answers this call, with one call fewer left (gone at zero), or undefined. */
  take(provider: SandboxProvider, method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.provider === provider &&
        (!f.method || f.method === method.toUpperCase()) &&
        (!f.pathContains || path.includes(f.pathContains)),
    );
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  /** The active faults, with the calls each has left. */
  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

function optional(value: unknown, pattern: RegExp, problem: string, problems: string[]): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && pattern.test(value)) return value;
  problems.push(problem);
  return null;
}

/** The fault answer for a request to the sandbox, if an active fault matches it (and uses it up once). */
export function faultFor(registry: FaultRegistry, request: Request): Response | undefined {
  const path = new URL(request.url).pathname;
  const provider = providerOf(path);
  if (!provider) return undefined;
  const fault = registry.take(provider, request.method, path);
  return fault ? faultResponse(fault) : undefined;
}
