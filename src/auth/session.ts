import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { timingSafeEqual } from "../crypto/hmac";
import type { AppEnv } from "../env";
import { AuthenticationError } from "../errors";
import { deleteSession, findSession, SESSION_TTL_MS, type Session } from "../store/sessions";

/** `__Host-` cookies are Secure, host-only and path=/ by construction. */
export const SESSION_COOKIE = "__Host-cf_session";
/** Binds an OAuth flow to the browser that started it. */
export const FLOW_COOKIE = "__Host-cf_flow";
/** The owner sign-in's flow: its state, PKCE verifier, nonce and return path, sealed (src/auth/sign-in-flow.ts). */
export const SIGN_IN_COOKIE = "__Host-cf_sign_in";

export type SessionEnv = { Bindings: AppEnv; Variables: { session: Session } };

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

export function setFlowCookie(c: Context, value: string): void {
  setCookie(c, FLOW_COOKIE, value, { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: 600 });
}

/** Sets the sealed sign-in flow; it lives as long as the flow (ten minutes). */
export function setSignInCookie(c: Context, sealed: string, maxAgeSeconds: number): void {
  setCookie(c, SIGN_IN_COOKIE, sealed, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The CSRF token a state-changing request carries: header for fetch, field for forms. */
async function submittedCsrf(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    const form = await c.req.parseBody();
    return typeof form._csrf === "string" ? form._csrf : undefined;
  }
  return undefined;
}

/**
 * Requires a signed-in owner. Pages redirect to sign-in; API calls get 401.
 * Unsafe methods must carry the session's CSRF token (with SameSite=Lax, a
 * cross-site form cannot send the cookie, and a same-site one cannot know
 * the token).
 */
export function requireSession(options: { redirect: boolean }): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await findSession(c.env.DB, token) : null;
    if (!session) {
      if (options.redirect && SAFE_METHODS.has(c.req.method)) {
        return c.redirect(`/auth/login?return_to=${encodeURIComponent(new URL(c.req.url).pathname)}`, 302);
      }
      throw new AuthenticationError(token ? "unknown or expired session" : "no session cookie");
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const csrf = await submittedCsrf(c);
      if (!csrf || !timingSafeEqual(csrf, session.csrfToken)) {
        throw new AuthenticationError("csrf token missing or wrong", "This form has expired; reload the page", 403);
      }
    }
    c.set("session", session);
    await next();
  };
}

export async function endSession(c: Context<SessionEnv>): Promise<void> {
  await deleteSession(c.env.DB, c.get("session").idHash);
  clearSessionCookie(c);
}
