import { createRoute, z as openapiZ } from "@hono/zod-openapi";
import { Hono } from "hono";
import { z } from "zod";
import { listBoards } from "../../integrations/notion/boards";
import { oauthFor, PROVIDERS } from "../../integrations/registry";
import { grantFromRestrictedKey } from "../../integrations/stripe/restricted-key";
import { apiRouter, errorResponses, json } from "../api/router";
import { requireSession, type SessionEnv } from "../auth/session";
import { ConnectionsPage, NotionBoardPage } from "../dashboard/connections-page";
import { sandboxEnabled, sandboxProviders } from "../dashboard/sandbox/mode";
import { workspaceBranding } from "../email/render";
import type { AppEnv } from "../env";
import { ValidationError } from "../errors";
import { webhookStatuses } from "../intake/webhook-status";
import { publicUrl } from "../links/public-url";
import { CLIENT_LINKS } from "../settings/client-links";
import { getWorkspace, upsertWorkspace } from "../settings/workspaces";
import { listConnections, updateConnectionConfig } from "../store/connection-admin";
import { connectionChecksOf } from "../store/connection-checks";
import type { Provider } from "../store/connections";
import { withConnection } from "./action-context";
import { clientLinksView } from "./client-links-view";
import { disconnectRoutes, storeGrant } from "./connect-routes";
import { connectionNotices } from "./notices";
import { notionSubscriptionRoutes, notionSubscriptionView } from "./notion-subscription-routes";
import { connectWithStripeEndpoint } from "./stripe-endpoint";

/**
 * Per provider, why Connect can't reach the real provider now, or null. A sandboxed provider's
 * hosts point at the local emulator in this run, so its OAuth flow would too, even when a
 * (sandbox) client id is set.
 */
function connectBlockers(env: AppEnv): Record<Provider, string | null> {
  const sandboxed = sandboxProviders(env);
  return Object.fromEntries(
    PROVIDERS.map((p) => [
      p,
      sandboxed.has(p) ? "in this run the sandbox stands in for it" : oauthFor(p).missingConfig(env),
    ]),
  ) as Record<Provider, string | null>;
}

/** The connections page, the Stripe key fallback, and the Notion board picker. */
export const setupRoutes = new Hono<SessionEnv>()
  .route("/", disconnectRoutes)
  .route("/notion/subscription", notionSubscriptionRoutes)
  .get("/", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const { notice, error } = connectionNotices(c.req.query());
    const origin = publicUrl(c.env, c.req.url);
    const workspace = await getWorkspace(c.env.DB, session.workspaceId);
    return c.html(
      <ConnectionsPage
        providers={PROVIDERS}
        connections={await listConnections(c.env.DB, session.workspaceId)}
        webhooks={await webhookStatuses(c.env.DB, origin, session.workspaceId, PROVIDERS)}
        checks={await connectionChecksOf(c.env.DB, session.workspaceId)}
        sandboxProviders={sandboxProviders(c.env)}
        missing={connectBlockers(c.env)}
        hubspotImportsStartLeads={workspace.settings.hubspotImportsStartLeads}
        weeklyDigest={workspace.settings.weeklyDigest}
        branding={workspaceBranding(workspace.name, workspace.settings)}
        clientLinks={await clientLinksView(c.env.DB, session.workspaceId)}
        csrf={session.csrfToken}
        sandbox={sandboxEnabled(c.env)}
        notionSubscription={await notionSubscriptionView(c.env, origin, session.workspaceId)}
        notice={notice}
        error={error}
      />,
    );
  })
  // A restricted key only: checked at Stripe with calls its permissions allow, stored without an
  // account id (a restricted key cannot learn it); sk_ and malformed keys are 400s, a key Stripe
  // refuses or one missing a permission a 422, and nothing is stored for any of them. Its events
  // come to an endpoint Clientflow creates in the account with the key (restricted-key mode).
  .post("/stripe/key", requireSession({ redirect: false }), async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === "string" ? form.key : "";
    const workspaceId = c.get("session").workspaceId;
    const grant = await grantFromRestrictedKey(c.env.STRIPE_API_BASE, key);
    await connectWithStripeEndpoint(c.env, workspaceId, key.trim(), c.req.url, () =>
      storeGrant(c.env, workspaceId, "stripe", grant, "key"),
    );
    return c.redirect("/connections?connected=stripe", 303);
  })
  // The HubSpot settings form: a checkbox is sent only when ticked, so its absence means off.
  .post("/hubspot/settings", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const workspace = await getWorkspace(c.env.DB, session.workspaceId);
    await upsertWorkspace(
      c.env.DB,
      {
        id: workspace.id,
        name: workspace.name,
        settings: { hubspotImportsStartLeads: form.importsStartLeads === "on" },
      },
      { mergeSettings: true },
    );
    return c.redirect("/connections?saved=hubspot", 303);
  })
  // The weekly digest setting: like the HubSpot one, an unticked checkbox is absent, so off.
  .post("/digest/settings", requireSession({ redirect: false }), async (c) => {
    const workspace = await getWorkspace(c.env.DB, c.get("session").workspaceId);
    const weeklyDigest = (await c.req.parseBody()).weeklyDigest === "on";
    await upsertWorkspace(
      c.env.DB,
      { id: workspace.id, name: workspace.name, settings: { weeklyDigest } },
      { mergeSettings: true },
    );
    return c.redirect("/connections?saved=digest", 303);
  })
  // The email colours: a colour input always sends #rrggbb; anything else is refused, named, and nothing is stored.
  .post("/branding", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const workspace = await getWorkspace(c.env.DB, session.workspaceId);
    const colour = (key: string) => (typeof form[key] === "string" ? String(form[key]) : "");
    try {
      await upsertWorkspace(
        c.env.DB,
        {
          id: workspace.id,
          name: workspace.name,
          settings: { brandColor: colour("brandColor"), accentColor: colour("accentColor") },
        },
        { mergeSettings: true },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The page words the refusal itself: the link names only the setting (src/connections/notices.ts).
      const setting = /brandColor|accentColor/.exec(error.message)?.[0] ?? "colour";
      return c.redirect(`/connections?invalid=${setting}`, 303);
    }
    return c.redirect("/connections?saved=branding", 303);
  })
  // The client links form: an empty field unsets a link; a refused link comes back as the page's error.
  .post("/links", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const workspace = await getWorkspace(c.env.DB, session.workspaceId);
    const settings = Object.fromEntries(
      Object.values(CLIENT_LINKS).map(({ setting }) => {
        const value = typeof form[setting] === "string" ? String(form[setting]).trim() : "";
        return [setting, value || null];
      }),
    );
    try {
      await upsertWorkspace(
        c.env.DB,
        { id: workspace.id, name: workspace.name, settings },
        { mergeSettings: true, allowLocalhost: sandboxEnabled(c.env) },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The page words the refusal itself: the link names only the setting (src/connections/notices.ts).
      const setting = /agreementUrl|bookingUrl|reviewUrl/.exec(error.message)?.[0] ?? "links";
      return c.redirect(`/connections?invalid=${setting}#client-links`, 303);
    }
    return c.redirect("/connections?saved=links", 303);
  })
  .get("/notion/board", requireSession({ redirect: true }), async (c) => {
    const session = c.get("session");
    const boards = await withConnection(c.env, session.workspaceId, "notion", listBoards);
    const current = (await listConnections(c.env.DB, session.workspaceId)).find((x) => x.provider === "notion");
    return c.html(
      <NotionBoardPage
        boards={boards}
        current={(current?.config as { boardId?: string })?.boardId}
        csrf={session.csrfToken}
        sandbox={sandboxEnabled(c.env)}
      />,
    );
  })
  .post("/notion/board", requireSession({ redirect: false }), async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const boardId = z.string().min(1).safeParse(form.boardId);
    if (!boardId.success) throw new ValidationError("Choose a board");
    const boards = await withConnection(c.env, session.workspaceId, "notion", listBoards);
    const board = boards.find((b) => b.id === boardId.data);
    if (!board) throw new ValidationError("That board is not shared with Clientflow");
    await updateConnectionConfig(c.env.DB, session.workspaceId, "notion", { boardId: board.id, boardName: board.name });
    return c.redirect("/connections?board=saved", 303);
  });

const ProviderSchema = openapiZ.enum(PROVIDERS as [Provider, ...Provider[]]);

const ConnectionSchema = openapiZ
  .object({
    provider: ProviderSchema,
    status: openapiZ.enum(["active", "needs_reconnect", "disconnected"]),
    source: openapiZ.enum(["oauth", "env", "key", "sandbox"]),
    externalAccountId: openapiZ.string().nullable().openapi({ example: "6600001" }),
    config: openapiZ
      .record(openapiZ.string(), openapiZ.unknown())
      .openapi({ description: "Non-secret settings: scopes, Notion board, account names" }),
    lastRefreshedAt: openapiZ.string().nullable(),
    createdAt: openapiZ.string(),
    updatedAt: openapiZ.string(),
  })
  .openapi("Connection");

const WebhookStatusSchema = openapiZ
  .object({
    provider: ProviderSchema,
    url: openapiZ
      .string()
      .nullable()
      .openapi({ description: "The URL to configure at the provider; null for Google (no webhooks)" }),
    lastEvent: openapiZ
      .object({ type: openapiZ.string(), receivedAt: openapiZ.string(), outcome: openapiZ.string().nullable() })
      .nullable(),
  })
  .openapi("WebhookStatus");

const listConnectionsRoute = createRoute({
  method: "get",
  path: "/",
  summary: "List the workspace's connections and webhook setup",
  description:
    "One entry per connected provider (never a token), the webhook URL and last event per provider, and the session's CSRF token for scripts.",
  tags: ["Connections"],
  responses: {
    200: json(
      openapiZ.object({
        connections: openapiZ.array(ConnectionSchema),
        webhooks: openapiZ.array(WebhookStatusSchema),
        sandboxProviders: openapiZ.array(ProviderSchema),
        csrfToken: openapiZ.string(),
      }),
      "Connections",
    ),
    ...errorResponses(),
  },
});

/** GET /api/connections (mounted under the API's session). */
export const connectionsApi = apiRouter().openapi(listConnectionsRoute, async (c) => {
  const session = c.get("session");
  const origin = publicUrl(c.env, c.req.url);
  return c.json(
    {
      connections: await listConnections(c.env.DB, session.workspaceId),
      webhooks: await webhookStatuses(c.env.DB, origin, session.workspaceId, PROVIDERS),
      sandboxProviders: [...sandboxProviders(c.env)],
      csrfToken: session.csrfToken,
    },
    200,
  );
});
