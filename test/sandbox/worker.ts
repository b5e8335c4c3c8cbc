import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { app } from "../../src/app";
import type { Browser } from "../browser";
import { APP } from "../world";

/** The sandbox origin the Worker is told about in these tests (msw answers its control API). */
export const SANDBOX = "https://sandbox.test";

/**
 * The Worker with the sandbox on (SANDBOX_URL set, or `sandboxUrl` — "" turns it off) and the
 * given providers sandboxed; the browser's cookies ride along, redirects are not followed.
 */
export async function sandboxRequest(
  browser: Browser | null,
  path: string,
  init: RequestInit = {},
  options: { sandboxUrl?: string; providers?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (browser?.cookies.size) headers.set("cookie", [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${APP}${path}`, { ...init, headers, redirect: "manual" }),
    {
      ...env,
      SANDBOX_URL: options.sandboxUrl ?? SANDBOX,
      SANDBOX_PROVIDERS: options.providers ?? "hubspot,stripe,notion,google",
    },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** A URL-encoded form POST. */
export const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
