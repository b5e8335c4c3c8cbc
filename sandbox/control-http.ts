import type { SandboxProvider } from "./providers";
import type { Sandbox } from "./server";

/** What the Worker answered to a webhook the sandbox delivered. */
export interface Delivery {
  status: number;
  ok: boolean;
  body: unknown;
}

/** A JSON answer of the control API. */
export const json = (body: unknown, status = 200) => Response.json(body, { status });

/** A control API error: `{ error, message }` with its status. */
export const problem = (status: number, error: string, message: string) => json({ error, message }, status);

/** POSTs a webhook body to the Worker and reports its answer (status 0 when it could not be reached). */
export async function deliver(
  sandbox: Sandbox,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<Delivery> {
  if (!sandbox.workerUrl) return { status: 0, ok: false, body: "the Worker's URL is not known yet" };
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
    return { status: response.status, ok: response.ok, body: parsed };
  } catch (error) {
    return { status: 0, ok: false, body: error instanceof Error ? error.message : "unreachable" };
  }
}

/** The request's JSON object body; `{}` when it is empty or not an object. */
export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const raw = await request.text();
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A trimmed string field of at most `max` characters; "" for anything else. */
export const str = (v: unknown, max = 200) => (typeof v === "string" ? v.trim().slice(0, max) : "");

/** 409 when `provider` runs against its real API, so the control API must not fake its events. */
export function notSandboxed(sandbox: Sandbox, provider: SandboxProvider): Response | undefined {
  return sandbox.providers.includes(provider)
    ? undefined
    : problem(409, "not_sandboxed", `${provider} runs against the real API`);
}
