import { createMiddleware } from "hono/factory";
import { toBase64 } from "../crypto/encoding";
import { API_FORMS_SCRIPT, EDITOR_SCRIPT, LIVE_SCRIPT } from "../generated/browser-scripts";

/** The only scripts any page runs: the bundled ones, inline (src/browser/, scripts/build-browser.mjs). */
const PAGE_SCRIPTS = [EDITOR_SCRIPT, API_FORMS_SCRIPT, LIVE_SCRIPT];

let scriptSources: Promise<string> | undefined;

/** `'sha256-…'` of each page script, computed on first use (nothing at module load), then kept. */
function scriptHashes(): Promise<string> {
  scriptSources ??= Promise.all(
    PAGE_SCRIPTS.map(async (script) => {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
      return `'sha256-${toBase64(new Uint8Array(digest))}'`;
    }),
  ).then((hashes) => hashes.join(" "));
  return scriptSources;
}

/**
 * The policy of every HTML page that sets none of its own: scripts only
 * by the hashes of the app's own bundles, no plugins, no framing (no
 * clickjacking of owner actions), forms and fetches to this origin only.
 * Styles may be inline (every page carries its CSS inline; user text is
 * escaped, never CSS). An email's HTML shown in a sandboxed iframe inherits
 * this policy, so it cannot load anything from elsewhere either.
 */
async function pagePolicy(): Promise<string> {
  return [
    "default-src 'self'",
    `script-src ${await scriptHashes()}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * Headers every response gets unless its route set its own (the lead form
 * sets a policy that lets the business embed it; the agreement page one
 * without scripts):
 * - `X-Content-Type-Options: nosniff` on everything;
 * - on HTML: the page policy, `X-Frame-Options: DENY` for browsers without
 *   `frame-ancestors`, `Referrer-Policy: same-origin`;
 * - `Cache-Control: no-store` on HTML and JSON: dashboard pages and API
 *   answers belong to a signed-in owner, hosted pages to a link's holder,
 *   and neither may sit in a shared or back-button cache.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  // A response passed through from elsewhere may have immutable headers: copy it once.
  try {
    c.res.headers.set("x-content-type-options", "nosniff");
  } catch {
    c.res = new Response(c.res.body, c.res);
  }
  const headers = c.res.headers;
  const type = headers.get("content-type") ?? "";
  headers.set("x-content-type-options", "nosniff");
  const html = type.startsWith("text/html");
  if (html || type.startsWith("application/json")) {
    if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  }
  if (!html) return;
  if (!headers.has("content-security-policy")) {
    headers.set("content-security-policy", await pagePolicy());
    if (!headers.has("x-frame-options")) headers.set("x-frame-options", "DENY");
  }
  if (!headers.has("referrer-policy")) headers.set("referrer-policy", "same-origin");
});
