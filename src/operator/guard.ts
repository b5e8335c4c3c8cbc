import type { MiddlewareHandler } from "hono";
import { sha256Hex, toHex } from "../crypto/encoding";
import { timingSafeEqual } from "../crypto/hmac";
import { purposeKeys, signWithKey } from "../crypto/purpose-keys";
import type { AppEnv } from "../env";
import { log } from "../log";

/** What the guard tells the route: whether the credential came as HTTP Basic (a browser sends it by itself). */
export interface OperatorEnv {
  Bindings: AppEnv;
  Variables: { operatorVia: "basic" | "bearer" };
}

function presented(header: string | undefined): { via: "basic" | "bearer"; secret: string } | null {
  if (!header) return null;
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return { via: "bearer", secret: value.trim() };
  if (scheme?.toLowerCase() !== "basic") return null;
  try {
    const decoded = atob(value.trim());
    const colon = decoded.indexOf(":");
    return colon < 0 ? null : { via: "basic", secret: decoded.slice(colon + 1) };
  } catch {
    return null;
  }
}

/**
 * The operator's pages answer only to OPERATOR_TOKEN, as HTTP Basic (any user
 * name, the token as password) or a Bearer token. Without that secret they
 * don't exist (404); a missing or wrong credential is a 401. Both sides are
 * hashed before the constant-time compare, so not even the token's length leaks.
 */
export const requireOperator: MiddlewareHandler<OperatorEnv> = async (c, next) => {
  const expected = c.env.OPERATOR_TOKEN;
  if (!expected) return c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404);
  const given = presented(c.req.header("authorization"));
  const ok = given !== null && timingSafeEqual(await sha256Hex(given.secret), await sha256Hex(expected));
  if (!given || !ok) {
    log.warn("authentication refused", {
      reason: given ? "wrong operator token" : "no operator token",
      path: c.req.path,
    });
    return c.json({ error: "unauthenticated", message: "Operator credentials required" }, 401, {
      "WWW-Authenticate": 'Basic realm="Clientflow operator", charset="UTF-8"',
    });
  }
  c.set("operatorVia", given.via);
  await next();
  c.header("Cache-Control", "no-store");
};

/**
 * The operator forms' CSRF token: an HMAC (key derived from ENCRYPTION_KEY
 * for this purpose) of the operator token's hash, so it changes when either
 * does. Needed with Basic credentials, which a browser attaches to a
 * cross-site form post by itself; a Bearer header never comes along that way.
 */
export async function operatorCsrf(env: AppEnv): Promise<string> {
  const [key] = await purposeKeys(env, "operator-csrf");
  if (!key) throw new Error("no ENCRYPTION_KEY");
  return toHex(await signWithKey(key, await sha256Hex(env.OPERATOR_TOKEN ?? "")));
}
