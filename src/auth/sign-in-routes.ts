import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { authorizationUrl, codeChallenge, requestToken } from "../../integrations/core/oauth2";
import { verifyGoogleIdToken } from "../../integrations/google/id-token";
import { sha256Hex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { AuthenticationError, ConnectionError } from "../errors";
import { publicUrl } from "../links/public-url";
import { log } from "../log";
import { consumeOAuthState, createOAuthState } from "../store/oauth-states";
import { ownerOnSignIn } from "../store/owners";
import { createSession, randomToken } from "../store/sessions";
import { safeReturnPath } from "./redirect-uri";
import { endSession, FLOW_COOKIE, requireSession, type SessionEnv, setFlowCookie, setSessionCookie } from "./session";

const googleClient = (env: AppEnv) => {
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) {
    throw new ConnectionError("google", "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not configured");
  }
  return { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
};

/**
 * Owner sign-in with Google (OpenID Connect, authorization code + PKCE +
 * nonce). The callback verifies the ID token against Google's JWKS, finds or
 * creates the owner's workspace and starts a session.
 */
export const signInRoutes = new Hono<SessionEnv>()
  .get("/login", async (c) => {
    const env = c.env;
    const { clientId } = googleClient(env);
    const binding = randomToken();
    const nonce = randomToken(16);
    const returnTo = safeReturnPath(c.req.query("return_to"));
    const { state, codeVerifier } = await createOAuthState(env.DB, env, {
      purpose: `sign_in:${returnTo}`,
      workspaceId: null,
      sessionHash: null,
      browserBinding: binding,
      nonce,
    });
    setFlowCookie(c, binding);
    return c.redirect(
      authorizationUrl(`${env.GOOGLE_ACCOUNTS_BASE}/o/oauth2/v2/auth`, {
        client_id: clientId,
        redirect_uri: `${publicUrl(env, c.req.url)}/auth/callback`,
        response_type: "code",
        scope: "openid email profile",
        state,
        nonce,
        code_challenge: await codeChallenge(codeVerifier),
        code_challenge_method: "S256",
        prompt: "select_account",
      }),
      302,
    );
  })
  .get("/callback", async (c) => {
    const env = c.env;
    const { state: stateParam, code, error } = c.req.query();
    const flow = stateParam ? await consumeOAuthState(env.DB, env, stateParam) : null;
    if (!flow?.purpose.startsWith("sign_in:")) {
      throw new AuthenticationError(
        "unknown, reused or expired sign-in state",
        "This sign-in link expired or was already used; sign in again",
      );
    }
    const binding = getCookie(c, FLOW_COOKIE);
    if (!binding || (await sha256Hex(binding)) !== flow.browserBindingHash) {
      throw new AuthenticationError(
        "sign-in finished in another browser",
        "Sign-in must finish in the browser that started it",
      );
    }
    deleteCookie(c, FLOW_COOKIE, { path: "/", secure: true });
    if (error || !code) {
      throw new AuthenticationError(
        `google returned ${error ?? "no code"}`,
        `Google sign-in was not completed (${error ?? "no code"})`,
      );
    }
    const { clientId, clientSecret } = googleClient(env);
    const tokens = await requestToken(
      "google",
      `${env.GOOGLE_OAUTH_BASE}/token`,
      { kind: "body", clientId, clientSecret },
      {
        grant_type: "authorization_code",
        code,
        code_verifier: flow.codeVerifier,
        redirect_uri: `${publicUrl(env, c.req.url)}/auth/callback`,
      },
    );
    if (!tokens.id_token) throw new AuthenticationError("no id_token in token response");
    const identity = await verifyGoogleIdToken(env, tokens.id_token, flow.nonce);
    const owner = await ownerOnSignIn(env.DB, identity);
    const { token } = await createSession(env.DB, { workspaceId: owner.workspaceId, googleSub: owner.googleSub });
    setSessionCookie(c, token);
    log.info("owner signed in", { tenant: owner.workspaceId });
    return c.redirect(flow.purpose.slice("sign_in:".length), 302);
  })
  .post("/logout", requireSession({ redirect: false }), async (c) => {
    await endSession(c);
    return c.redirect("/", 303);
  });
