import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { checkConnections } from "../../src/maintenance/connection-health";
import { connectionChecksOf } from "../../src/store/connection-checks";
import { saveConnection } from "../../src/store/connections";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { captureLogs, connectWorkspace, HUBSPOT_TOKEN, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const WS = "ws-health-check";
const PIPELINES = "https://api.hubapi.test/crm/v3/pipelines/deals";

// The auth check's rows; the warnings the same maintenance records (other kinds) are test/maintenance/connection-warnings.test.ts's.
const statuses = async () =>
  Object.fromEntries(
    (await connectionChecksOf(env.DB, WS)).filter((c) => c.kind === "auth").map((c) => [`${c.provider}:${c.kind}`, c]),
  );

describe("the scheduled connection health check", () => {
  it("records ok for each connection, failing with a hint when a token is revoked, ok again after reconnecting", async () => {
    await connectWorkspace(env, WS, "health-portal");
    const day1 = Date.parse("2026-11-28T03:17:00Z");

    // Run by the Cron Trigger itself: every provider answers its read.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: day1, cron: "17 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    let checks = await statuses();
    expect(Object.keys(checks).sort()).toEqual(["google:auth", "hubspot:auth", "notion:auth", "stripe:auth"]);
    for (const check of Object.values(checks)) {
      expect(check).toMatchObject({ status: "ok", errorClass: null, hint: null, failingSince: null });
      expect(check.checkedAt).toBe("2026-11-28T03:17:00.000Z");
    }
    const reads = [
      world.hubspot.requests.matching("GET", "/crm/v3/pipelines/deals").length,
      world.stripe.requests.matching("GET", "/v1/customers").filter((r) => r.search.get("limit") === "1").length,
      world.notion.requests.matching("GET", "/v1/users/me").length,
      world.google.requests.matching("GET", "/oauth2/v3/userinfo").length,
    ];
    expect(reads).toEqual([1, 1, 1, 1]);

    // The owner revoked the HubSpot app: HubSpot refuses the token (401).
    world.network.use(
      http.get(PIPELINES, () =>
        HttpResponse.json({ status: "error", category: "INVALID_AUTHENTICATION", message: "expired" }, { status: 401 }),
      ),
    );
    const day2 = day1 + 24 * 60 * 60_000;
    expect(await checkConnections(env, day2)).toEqual({ ok: 3, warning: 0, failing: 1 });
    checks = await statuses();
    expect(checks["hubspot:auth"]).toMatchObject({
      status: "failing",
      errorClass: "access_revoked",
      failingSince: "2026-11-29T03:17:00.000Z",
    });
    expect(checks["hubspot:auth"]?.hint).toMatch(/^Reconnect HubSpot on the connections page/);
    expect(checks["stripe:auth"]?.status).toBe("ok");
    // The connection waits for the owner; a second run keeps when it started failing and does not call HubSpot.
    world.hubspot.requests.clear();
    await checkConnections(env, day2 + 60_000);
    expect((await statuses())["hubspot:auth"]?.failingSince).toBe("2026-11-29T03:17:00.000Z");
    expect(world.hubspot.requests.matching("GET", /./)).toEqual([]);
    expect(logs.join("\n")).not.toContain(HUBSPOT_TOKEN);

    // The owner reconnects: the next run finds it ok again.
    world.network.resetHandlers();
    await saveConnection(env.DB, env, {
      workspaceId: WS,
      provider: "hubspot",
      externalAccountId: "health-portal",
      credentials: { accessToken: HUBSPOT_TOKEN },
      config: { portalId: "health-portal" },
      source: "oauth",
    });
    expect(await checkConnections(env, day2 + 2 * 60_000)).toEqual({ ok: 4, warning: 0, failing: 0 });
    expect((await statuses())["hubspot:auth"]).toMatchObject({ status: "ok", hint: null, failingSince: null });
  });

  it("warns, without failing the connection, when the provider is down", async () => {
    await connectWorkspace(env, WS, "health-portal");
    world.network.use(http.get(PIPELINES, () => HttpResponse.json({ message: "down" }, { status: 503 })));
    expect(await checkConnections(env, Date.parse("2026-11-30T03:17:00Z"))).toEqual({ ok: 3, warning: 1, failing: 0 });
    expect((await statuses())["hubspot:auth"]).toMatchObject({ status: "warning", errorClass: "provider_unavailable" });
  });

  it("shows on the connections page: not checked yet, then the last check, and the hint when it fails", async () => {
    const owner = await signIn(world, { sub: "health-owner", email: "health-owner@studio.test" });
    const workspaceId = (await findOwner(env.DB, "health-owner"))?.workspaceId ?? "";
    await saveConnection(env.DB, env, {
      workspaceId,
      provider: "hubspot",
      externalAccountId: "health-page-portal",
      credentials: { accessToken: HUBSPOT_TOKEN },
      config: { portalId: "health-page-portal" },
      source: "oauth",
    });
    const hubspotCard = async () => {
      const html = await (await owner.browser.fetch("/connections")).text();
      const start = html.indexOf('data-provider="hubspot"');
      return html.slice(start, html.indexOf("</section>", start));
    };
    expect(await hubspotCard()).toContain("Not checked yet");

    world.network.use(http.get(PIPELINES, () => HttpResponse.json({ message: "revoked" }, { status: 401 })));
    await checkConnections(env, Date.parse("2026-11-30T03:17:00Z"));
    const card = await hubspotCard();
    expect(card).toContain('class="badge badge-error">failing');
    expect(card).toContain("Reconnect HubSpot on the connections page");
    expect(card).toContain('datetime="2026-11-30T03:17:00.000Z"');
  });
});
