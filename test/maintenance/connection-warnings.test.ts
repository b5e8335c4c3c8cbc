import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HANDLED_STRIPE_EVENTS } from "../../integrations/stripe/webhook-endpoints";
import { connectWithStripeEndpoint } from "../../src/connections/stripe-endpoint";
import { checkWarnings } from "../../src/maintenance/connection-warnings";
import { stripeEndpointVerdict } from "../../src/maintenance/health-warnings";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { connectionChecksOf } from "../../src/store/connection-checks";
import { saveConnection, setConnectionStatus } from "../../src/store/connections";
import { resetNotionSubscription } from "../../src/store/notion-workspace-subscriptions";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { captureLogs, connectWorkspace, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const DAY = 24 * 60 * 60_000;
const T0 = Date.parse("2026-11-02T03:17:00Z");
const at = (days: number) => T0 + days * DAY;
const iso = (days: number) => new Date(at(days)).toISOString();

/** The workspace's check of `provider:kind`, if recorded. */
async function check(workspaceId: string, key: string) {
  return (await connectionChecksOf(env.DB, workspaceId)).find((c) => `${c.provider}:${c.kind}` === key);
}

/** Sets the stored refresh history of a connection (what the token accessor writes). */
async function history(workspaceId: string, provider: string, consentedAt: string, lastRefreshedAt: string | null) {
  await env.DB.prepare(
    "UPDATE connections SET consented_at = ?3, last_refreshed_at = ?4 WHERE workspace_id = ?1 AND provider = ?2",
  )
    .bind(workspaceId, provider, consentedAt, lastRefreshedAt)
    .run();
}

/** A webhook the workspace received from `provider` at `receivedAt` (as intake records it). */
async function received(provider: string, workspaceId: string, eventId: string, type: string, receivedAt: string) {
  await env.DB.prepare(
    "INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
  )
    .bind(provider, workspaceId, eventId, type, receivedAt)
    .run();
}

describe("connection warnings before anything fails", () => {
  it("warns of a Google refresh failing for over a day and a half, and clears it after a refresh", async () => {
    const ws = "ws-warn-refresh";
    await connectWorkspace(env, ws, "warn-refresh-portal");
    await history(ws, "google", iso(0), iso(1));
    await history(ws, "hubspot", iso(0), null);
    await checkWarnings(env, at(2));
    expect(await check(ws, "google:refresh")).toMatchObject({ status: "ok", hint: null });

    await checkWarnings(env, at(3));
    const raised = await check(ws, "google:refresh");
    expect(raised).toMatchObject({ status: "warning", errorClass: "refresh_failing", failingSince: iso(3) });
    expect(raised?.hint).toContain("since 2026-11-03");
    expect(raised?.hint).toContain("Reconnect Google on the connections page");
    // HubSpot's token in this world is a private-app token that never refreshes: nothing to judge.
    expect(await check(ws, "hubspot:refresh")).toBeUndefined();

    await history(ws, "google", iso(0), iso(3.5));
    await checkWarnings(env, at(4));
    expect(await check(ws, "google:refresh")).toMatchObject({ status: "ok", errorClass: null, failingSince: null });
  });

  it("recognises a Google app in testing mode from a grant that died seven days after consent; a new consent clears it", async () => {
    const ws = "ws-warn-testing";
    await connectWorkspace(env, ws, "warn-testing-portal");
    await history(ws, "google", iso(0), iso(6.9));
    await setConnectionStatus(env.DB, ws, "google", "needs_reconnect");
    await checkWarnings(env, at(7.1));
    const raised = await check(ws, "google:google_testing");
    expect(raised).toMatchObject({ status: "warning", errorClass: "google_app_testing" });
    expect(raised?.hint).toMatch(/Publish app/);

    // A grant refused after months is an ordinary revocation (the auth check's failure), not testing mode.
    await history(ws, "google", iso(-90), iso(6.9));
    await checkWarnings(env, at(7.2));
    expect((await check(ws, "google:google_testing"))?.status).toBe("ok");

    // Reconnected (after publishing the app): active again, nothing to warn of.
    await history(ws, "google", iso(0), iso(6.9));
    await checkWarnings(env, at(7.3));
    expect((await check(ws, "google:google_testing"))?.status).toBe("warning");
    await saveConnection(env.DB, env, {
      workspaceId: ws,
      provider: "google",
      externalAccountId: "studio@example.com",
      credentials: { refreshToken: "1//new-grant" },
      config: {},
      source: "oauth",
    });
    await checkWarnings(env, at(7.4));
    expect((await check(ws, "google:google_testing"))?.status).toBe("ok");

    // Reconnected without publishing: the new grant dies a week after the new consent, and the warning returns.
    await history(ws, "google", iso(7.4), iso(14.3));
    await setConnectionStatus(env.DB, ws, "google", "needs_reconnect");
    await checkWarnings(env, at(14.5));
    expect((await check(ws, "google:google_testing"))?.status).toBe("warning");
  });

  it("warns when journeys wait on Stripe and Stripe has sent nothing for three days; a webhook clears it", async () => {
    const ws = "ws-warn-silence";
    await connectWorkspace(env, ws, "warn-silence-portal");
    await env.DB.prepare(
      "INSERT INTO journeys (id, workspace_id, deal_id, status, workflow_instance_id) VALUES ('j-silence', ?1, 'd-silence', 'waiting', 'j-silence')",
    )
      .bind(ws)
      .run();
    await env.DB.prepare(
      "INSERT INTO journey_steps (journey_id, name, status, waiting_for, updated_at) VALUES ('j-silence', 'wait-deposit', 'waiting', 'stripe.invoice.paid', ?1)",
    )
      .bind(iso(0))
      .run();
    await checkWarnings(env, at(2));
    expect((await check(ws, "stripe:webhook_silence"))?.status).toBe("ok");

    await checkWarnings(env, at(3.5));
    const raised = await check(ws, "stripe:webhook_silence");
    expect(raised).toMatchObject({ status: "warning", errorClass: "webhooks_silent" });
    expect(raised?.hint).toMatch(/^1 journey\(s\) wait on Stripe, which has sent Clientflow no webhook yet\./);

    await received("stripe", ws, "evt_silence_1", "invoice.created", iso(3.6));
    await checkWarnings(env, at(4));
    expect((await check(ws, "stripe:webhook_silence"))?.status).toBe("ok");

    // The journey stops waiting: a warning raised meanwhile is cleared, not left behind.
    await checkWarnings(env, at(7));
    expect((await check(ws, "stripe:webhook_silence"))?.status).toBe("warning");
    await env.DB.prepare("UPDATE journeys SET status = 'complete' WHERE id = 'j-silence'").run();
    await checkWarnings(env, at(7.1));
    expect((await check(ws, "stripe:webhook_silence"))?.status).toBe("ok");
  });

  it("warns of a Notion subscription never verified, and clears it once Notion's events arrive", async () => {
    const ws = "ws-warn-notion";
    await upsertWorkspace(env.DB, { id: ws, name: "Notion Studio", settings: {} });
    await resetNotionSubscription(env.DB, ws);
    await env.DB.prepare("UPDATE notion_workspace_subscriptions SET created_at = ?2 WHERE workspace_id = ?1")
      .bind(ws, iso(0))
      .run();
    await checkWarnings(env, at(0.5));
    expect((await check(ws, "notion:notion_subscription"))?.status).toBe("ok");
    await checkWarnings(env, at(2));
    expect(await check(ws, "notion:notion_subscription")).toMatchObject({
      status: "warning",
      errorClass: "notion_subscription_missing",
    });

    // The handshake arrived but the owner has not pasted the token into Notion's Verify dialog.
    await env.DB.prepare("UPDATE notion_workspace_subscriptions SET token_received_at = ?2 WHERE workspace_id = ?1")
      .bind(ws, iso(2))
      .run();
    await checkWarnings(env, at(4));
    const unverified = await check(ws, "notion:notion_subscription");
    expect(unverified).toMatchObject({ status: "warning", errorClass: "notion_subscription_unverified" });
    expect(unverified?.hint).toContain("Verify dialog");

    await received("notion", ws, "notion-evt-1", "page.properties_updated", iso(4.1));
    await checkWarnings(env, at(5));
    expect((await check(ws, "notion:notion_subscription"))?.status).toBe("ok");
  });

  it("reads the key-connected Stripe endpoint: disabled, then missing events, then fixed", async () => {
    const ws = "ws-warn-stripe";
    const key = "rk_test_51WarnEndpoint000key";
    world.stripe.restrictedKey(key, "acct_warn_stripe");
    await upsertWorkspace(env.DB, { id: ws, name: "Stripe Studio", settings: {} });
    await connectWithStripeEndpoint(env, ws, key, "https://clientflow.test/connections", () =>
      saveConnection(env.DB, env, {
        workspaceId: ws,
        provider: "stripe",
        externalAccountId: null,
        credentials: { accessToken: key },
        config: {},
        source: "key",
      }),
    );
    const [endpoint] = world.stripe.webhooks.of("acct_warn_stripe");
    if (!endpoint) throw new Error("no endpoint was created");
    await checkWarnings(env, at(1));
    expect(await check(ws, "stripe:stripe_endpoint")).toMatchObject({ status: "ok", hint: null });
    expect(world.stripe.requests.matching("GET", `/v1/webhook_endpoints/${endpoint.id}`)).toHaveLength(1);

    endpoint.status = "disabled";
    await checkWarnings(env, at(2));
    expect(await check(ws, "stripe:stripe_endpoint")).toMatchObject({
      status: "warning",
      errorClass: "stripe_endpoint_disabled",
    });

    endpoint.status = "enabled";
    endpoint.enabled_events = ["invoice.paid"];
    await checkWarnings(env, at(3));
    const missing = await check(ws, "stripe:stripe_endpoint");
    expect(missing).toMatchObject({ status: "warning", errorClass: "stripe_endpoint_events" });
    expect(missing?.hint).toContain("invoice.payment_failed");

    endpoint.enabled_events = [...HANDLED_STRIPE_EVENTS];
    await checkWarnings(env, at(4));
    expect(await check(ws, "stripe:stripe_endpoint")).toMatchObject({ status: "ok", failingSince: null });

    world.stripe.webhooks.endpoints.delete(endpoint.id);
    await checkWarnings(env, at(5));
    expect((await check(ws, "stripe:stripe_endpoint"))?.errorClass).toBe("stripe_endpoint_missing");
    expect(logs.join("\n")).not.toContain(key);
  });

  it("shows a warning and its fix on the provider's card of the connections page", async () => {
    const owner = await signIn(world, { sub: "warn-page-owner", email: "warn-page@studio.test" });
    const ws = (await findOwner(env.DB, "warn-page-owner"))?.workspaceId ?? "";
    await saveConnection(env.DB, env, {
      workspaceId: ws,
      provider: "google",
      externalAccountId: "warn-page@studio.test",
      credentials: { refreshToken: "1//warn-page" },
      config: {},
      source: "oauth",
    });
    await history(ws, "google", iso(0), iso(0.5));
    await checkWarnings(env, at(3));
    const html = await (await owner.browser.fetch("/connections")).text();
    const start = html.indexOf('data-provider="google"');
    const card = html.slice(start, html.indexOf("</section>", start));
    expect(card).toContain("<dt>Token refresh</dt>");
    expect(card).toContain('data-check="refresh"');
    expect(card).toContain('class="badge badge-warn">warning');
    expect(card).toContain("Reconnect Google on the connections page before the current access runs out.");
  });

  it("takes '*' as every event", () => {
    expect(
      stripeEndpointVerdict({ found: true, status: "enabled", enabledEvents: ["*"] }, HANDLED_STRIPE_EVENTS),
    ).toEqual({ status: "ok", errorClass: null, hint: null });
  });
});
