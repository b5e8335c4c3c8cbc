import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { authorizationUrl, codeChallenge, requestToken } from "../../integrations/core/oauth2";
import { verifyGoogleIdToken } from "../../integrations/google/id-token";
import { sha256Hex } from "../crypto/encoding";
import type { AppEnv } from "../env";
import { AuthenticationError, ConnectionError } from "../errors";
import { publicUrl } from "../links/public-url";
import { log } from "../log";
import { markSignInStateUsed } from "../store/oauth-states";
import { ownerOnSignIn } from "../store/owners";
import { createSession } from "../store/sessions";
import { safeReturnPath } from "./redirect-uri";
import {
  endSession,
  requireSession,
  type SessionEnv,
  SIGN_IN_COOKIE,
  setSessionCookie,
  setSignInCookie,
} from "./session";
import { openSignInFlow, SIGN_IN_TTL_MS, startSignInFlow, verifySignInState } from "./sign-in-flow";

const googleClient = (env: AppEnv) => {
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) {
    throw new ConnectionError("google", "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not configured");
  }
  return { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
};

/**
 * Owner sign-in with Google (OpenID Connect, authorization code + PKCE +
 * nonce). Starting one stores nothing (src/auth/sign-in-flow.ts); the
 * callback records the state as used, then checks the sealed flow cookie. The callback verifies the ID token against Google's JWKS, finds or
 * creates the owner's workspace and starts a session.
 */
export const signInRoutes = new Hono<SessionEnv>()
  .get("/login", async (c) => {
    const env = c.env;
    const { clientId } = googleClient(env);
    // Nothing is stored for an anonymous caller: the flow travels sealed in its cookie.
    const { flow, cookie } = await startSignInFlow(env, safeReturnPath(c.req.query("return_to")));
    setSignInCookie(c, cookie, SIGN_IN_TTL_MS / 1000);
    return c.redirect(
      authorizationUrl(`${env.GOOGLE_ACCOUNTS_BASE}/o/oauth2/v2/auth`, {
        client_id: clientId,
        redirect_uri: `${publicUrl(env, c.req.url)}/auth/callback`,
        response_type: "code",
        scope: "openid email profile",
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await codeChallenge(flow.codeVerifier),
        code_challenge_method: "S256",
        prompt: "select_account",
      }),
      302,
    );
  })
  .get("/callback", async (c) => {
    const env = c.env;
    const { state = "", code, error } = c.req.query();
    // A genuine, unexpired state is used once, whichever browser presents it:
    // the row is written here, never at /login.
    const expiresAt = await verifySignInState(env, state);
    if (expiresAt === null || !(await markSignInStateUsed(env.DB, await sha256Hex(state), expiresAt))) {
      throw new AuthenticationError(
        "unknown, reused or expired sign-in state",
        "This sign-in link expired or was already used; sign in again",
      );
    }
    const flow = await openSignInFlow(env, getCookie(c, SIGN_IN_COOKIE), state);
    if (!flow) {
      throw new AuthenticationError(
        "sign-in finished in another browser (no flow cookie for this state)",
        "Sign-in must finish in the browser that started it",
      );
    }
    deleteCookie(c, SIGN_IN_COOKIE, { path: "/", secure: true });
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
    return c.redirect(flow.returnTo, 302);
  })
  .post("/logout", requireSession({ redirect: false }), async (c) => {
    await endSession(c);
    return c.redirect("/", 303);
  });
