import { escapeHtml } from "../src/ui/html";
import { SANDBOX_OWNER } from "./providers";
import type { Sandbox } from "./server";

function page(body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox Google sign-in</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:2rem;max-width:28rem;box-shadow:0 1px 3px #0001}
.label{display:inline-block;background:#fef3c7;color:#92400e;border:1px solid #fcd34d;border-radius:999px;padding:.1rem .6rem;font-size:.8rem;font-weight:700;letter-spacing:.05em}
button{font:inherit;background:#1d4ed8;color:#fff;border:0;border-radius:8px;padding:.7rem 1.2rem;cursor:pointer;width:100%}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}.muted{color:#475569;font-size:.9rem}</style></head>
<body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/**
 * Google's consent screen, as the sandbox plays it: GET shows one clearly
 * labelled button; POST (the same URL, so the authorization request rides
 * along) consents as the sandbox owner and sends the browser back to the
 * app's redirect URI with a one-time code. The token endpoint then answers
 * with an ID token signed by the key at /google/oauth2/v3/certs.
 */
export async function authorizePage(sandbox: Sandbox, request: Request): Promise<Response | undefined> {
  if (!sandbox.providers.includes("google")) return undefined;
  const url = new URL(request.url);
  const redirectUri = url.searchParams.get("redirect_uri") ?? "";
  if (url.searchParams.get("client_id") !== sandbox.google.clientId || !redirectUri) {
    return page(`<h1>Sandbox Google</h1><p>This sign-in request is not for the sandbox app.</p>`, 400);
  }
  if (request.method === "POST") {
    const { code, state } = await sandbox.google.consent(url.toString(), SANDBOX_OWNER);
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", state);
    return new Response(null, { status: 302, headers: { location: back.toString() } });
  }
  const action = `${url.pathname}${url.search}`;
  const scopes = (url.searchParams.get("scope") ?? "").split(" ").filter(Boolean);
  return page(`<p><span class="label">SANDBOX</span></p>
<h1>Sandbox Google</h1>
<p>This is the local sandbox standing in for Google. No Google account is used.</p>
<p class="muted">The app asks for: ${escapeHtml(scopes.join(", ") || "sign-in")}</p>
<form method="post" action="${escapeHtml(action)}">
<button type="submit">Continue as ${escapeHtml(SANDBOX_OWNER.email)}</button>
</form>`);
}
