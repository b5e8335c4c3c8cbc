import { z } from "zod";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";

const delivery = z.object({ status: z.number(), ok: z.boolean(), body: z.unknown() });

/** The statuses a simulated outage can answer, as the owner reads them (the first is the default). */
export const FAULT_STATUSES = [
  { status: 500, label: "500 server error" },
  { status: 503, label: "503 unavailable" },
  { status: 429, label: "429 rate limited" },
  { status: 400, label: "400 rejected" },
] as const;

/** A simulated outage: the next `times` API calls to `provider` (optionally narrowed) answer `status`. */
export const sandboxFaultSchema = z.object({
  id: z.string(),
  provider: z.string(),
  status: z.number(),
  times: z.number(),
  method: z.string().nullable(),
  pathContains: z.string().nullable(),
});
export type SandboxFault = z.infer<typeof sandboxFaultSchema>;

/** The sandbox's state (GET /control/state of sandbox/control.ts). */
export const sandboxStateSchema = z.object({
  providers: z.array(z.string()),
  statuses: z.array(z.string()),
  deals: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      amount: z.number(),
      stage: z.string(),
      won: z.boolean(),
      status: z.string().nullable(),
      contact: z.object({ email: z.string(), firstName: z.string(), lastName: z.string() }).nullable(),
    }),
  ),
  invoices: z.array(
    z.object({
      id: z.string(),
      number: z.string().nullable(),
      status: z.string(),
      amountDue: z.number(),
      currency: z.string(),
      customerEmail: z.string(),
      description: z.string().nullable().optional(),
      journeyId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  cards: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      client: z.string(),
      status: z.string().nullable(),
      clientflowId: z.string(),
    }),
  ),
  emails: z.array(
    z.object({ id: z.string(), from: z.string(), to: z.string(), subject: z.string(), sentAt: z.string().nullable() }),
  ),
  /** Simulated outages (sandbox/faults.ts); an older sandbox lists none. */
  faults: z.array(sandboxFaultSchema).default([]),
});
export type SandboxState = z.infer<typeof sandboxStateSchema>;

export const sandboxEmailSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  sentAt: z.string().nullable(),
  text: z.string(),
  html: z.string(),
});
export type SandboxEmail = z.infer<typeof sandboxEmailSchema>;

/** The sandbox answered an action: its control response, with the Worker's answer to the delivered webhook. */
export const actionResultSchema = z.object({ delivery: delivery.optional() }).passthrough();

/** The sandbox is not running or answered something unexpected. */
export class SandboxUnavailableError extends AppError {
  constructor(reason: string) {
    super("sandbox_unavailable", `The local sandbox did not answer (${reason}); is npm start still running?`, 502);
  }
}

/** Calls the sandbox's control API (`${SANDBOX_URL}/control/…`); 4xx answers come back, not thrown. */
export async function callControl(
  env: AppEnv,
  path: string,
  init: { method: "GET" | "POST" | "DELETE"; body?: unknown } = { method: "GET" },
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(`${env.SANDBOX_URL}/control${path}`, {
      method: init.method,
      headers: init.method === "POST" ? { "content-type": "application/json" } : {},
      body: init.method === "POST" ? JSON.stringify(init.body ?? {}) : undefined,
    });
  } catch (error) {
    throw new SandboxUnavailableError(error instanceof Error ? error.message : "unreachable");
  }
  if (response.status >= 500) throw new SandboxUnavailableError(`status ${response.status}`);
  const body: unknown = await response.json().catch(() => null);
  return { status: response.status, body };
}
