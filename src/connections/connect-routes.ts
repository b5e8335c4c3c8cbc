import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { codeChallenge } from "../../integrations/core/oauth2";
import type { Grant } from "../../integrations/core/provider-oauth";
import { isProvider, oauthFor } from "../../integrations/registry";
import { FLOW_COOKIE, requireSession, type SessionEnv, setFlowCookie } from "../auth/session";
import { sha256Hex } from "../crypto/encoding";
import { AppError, AuthenticationError, ConnectionError, NotFoundError } from "../errors";
import { publicUrl } from "../links/public-url";
import { log } from "../log";
import { resumePausedJourneys } from "../runtime/resume";
import { deleteConnection } from "../store/connection-admin";
import { getConnection, type Provider, saveConnection } from "../store/connections";
import { consumeOAuthState, createOAuthState } from "../store/oauth-states";
import { randomToken } from "../store/sessions";
import { refusedLocation } from "./notices";
import { prepareConnection } from "./prepare";
import { removeStripeEndpoint } from "./stripe-endpoint";

function providerParam(value: string): Provider {
  if (!isProvider(value)) throw new NotFoundError("unknown_provider", `Unknown provider ${value}`);
  return value;
}

const callbackUrl = (env: SessionEnv["Bindings"], requestUrl: string, provider: Provider) =>
  `${publicUrl(env, requestUrl)}/oauth/${provider}/callback`;

/** Saves a connection and resumes journeys paused on it; an account already connected to another workspace is refused clearly. */
export async function storeGrant(
  env: SessionEnv["Bindings"],
  workspaceId: string,
  provider: Provider,
  grant: Grant,
  source: "oauth" | "key",
) {
  try {
    await saveConnection(env.DB, env, { workspaceId, provider, source, ...grant });
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
      throw new AppError("account_in_use", `This ${provider} account is already connected to another workspace`, 409);
    }
    throw error;
  }
  const prepared = await prepareConnection(env, workspaceId, provider);
  const resumed = await resumePausedJourneys(env, workspaceId, provider);
  log.info("connection saved", { tenant: workspaceId, provider, source, prepared, resumed });
}

/**
 * Disconnects: revokes at the provider where it has an endpoint (best effort)
 * and deletes the sealed tokens either way.
 */
async function disconnect(env: SessionEnv["Bindings"], workspaceId: string, provider: Provider) {
  let revoked = false;
  try {
    const connection = await getConnection(env.DB, env, workspaceId, provider);
    const revoke = oauthFor(provider).revoke;
    if (revoke && connection.source === "oauth") {
      await revoke(env, connection.credentials);
      revoked = true;
    }
  } catch (error) {
    if (!(error instanceof ConnectionError)) {
      log.warn("revocation failed", {
        tenant: workspaceId,
        provider,
        reason: error instanceof Error ? error.name : "error",
      });
    }
  }
  // A pasted Stripe key's own webhook endpoint goes with it (deleted at Stripe with that key).
  if (provider === "stripe") await removeStripeEndpoint(env, workspaceId);
  const deleted = await deleteConnection(env.DB, workspaceId, provider);
  if (!deleted) throw new NotFoundError("not_connected", `${provider} is not connected`);
  log.info("connection deleted", { tenant: workspaceId, provider, revoked });
  return { provider, disconnected: true, revokedAtProvider: revoked };
}

/**
 * Connecting an account: `GET /connect/:provider` → provider consent →
 * `GET /oauth/:provider/callback` → tokens sealed in D1 → back to the
 * dashboard. The state is one-time, expires in ten minutes, and is bound to
 * the workspace, the session and the browser (a flow cookie).
 */
export const connectRoutes = new Hono<SessionEnv>().get("/:provider", requireSession({ redirect: true }), async (c) => {
  const env = c.env;
  const provider = providerParam(c.req.param("provider"));
  const oauth = oauthFor(provider);
  const missing = oauth.missingConfig(env);
  if (missing) throw new AppError("provider_not_configured", `${provider} cannot be connected yet: ${missing}`, 409);
  const session = c.get("session");
  const binding = randomToken();
  const { state, codeVerifier } = await createOAuthState(env.DB, env, {
    purpose: `connect:${provider}`,
    workspaceId: session.workspaceId,
    sessionHash: session.idHash,
    browserBinding: binding,
  });
  setFlowCookie(c, binding);
  const url = oauth.authorizeUrl(env, {
    state,
    codeChallenge: await codeChallenge(codeVerifier),
    redirectUri: callbackUrl(env, c.req.url, provider),
  });
  return c.redirect(url, 302);
});

/** `GET /oauth/:provider/callback`: the end of the connect flow above. */
export const oauthCallbackRoutes = new Hono<SessionEnv>().get(
  "/:provider/callback",
  requireSession({ redirect: false }),
  async (c) => {
    const env = c.env;
    const provider = providerParam(c.req.param("provider"));
    const session = c.get("session");
    const { state, code, error } = c.req.query();
    const flow = state ? await consumeOAuthState(env.DB, env, state) : null;
    if (!flow || flow.purpose !== `connect:${provider}`) {
      throw new AuthenticationError(
        `unknown, reused or expired ${provider} state`,
        "This connection link expired or was already used; start again",
        403,
      );
    }
    const binding = getCookie(c, FLOW_COOKIE);
    const sameBrowser = binding && (await sha256Hex(binding)) === flow.browserBindingHash;
    if (!sameBrowser || flow.sessionHash !== session.idHash || flow.workspaceId !== session.workspaceId) {
      throw new AuthenticationError(
        "connection finished in another browser or session",
        "Finish connecting in the browser and session that started it",
        403,
      );
    }
    deleteCookie(c, FLOW_COOKIE, { path: "/", secure: true });
    if (error || !code) {
      log.warn("provider refused the connection", {
        tenant: session.workspaceId,
        provider,
        reason: error ?? "no code",
      });
      return c.redirect(refusedLocation(provider, error), 302);
    }
    const grant = await oauthFor(provider).exchange(env, {
      code,
      codeVerifier: flow.codeVerifier,
      redirectUri: callbackUrl(env, c.req.url, provider),
    });
    // Switching a pasted Stripe key to the Stripe App: its events come to the Connect endpoint now.
    if (provider === "stripe") await removeStripeEndpoint(env, session.workspaceId);
    await storeGrant(env, session.workspaceId, provider, grant, "oauth");
    return c.redirect(provider === "notion" ? "/connections/notion/board" : `/connections?connected=${provider}`, 302);
  },
);

/** Disconnecting, under /connections: `DELETE /:provider` (JSON) and `POST /:provider/disconnect` (form). */
export const disconnectRoutes = new Hono<SessionEnv>()
  .delete("/:provider", requireSession({ redirect: false }), async (c) => {
    const result = await disconnect(c.env, c.get("session").workspaceId, providerParam(c.req.param("provider")));
    return c.json(result);
  })
  .post("/:provider/disconnect", requireSession({ redirect: false }), async (c) => {
    const provider = providerParam(c.req.param("provider"));
    await disconnect(c.env, c.get("session").workspaceId, provider);
    return c.redirect(`/connections?disconnected=${provider}`, 303);
  });
