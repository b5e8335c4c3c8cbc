import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { recordConnectionCheck } from "../../src/store/connection-checks";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { useWorld } from "../world";

const world = useWorld();
const CHECKED = "2026-11-20T03:17:00.000Z";

/** The banner paragraph of a page, or null when it has none. */
function banner(html: string): string | null {
  const start = html.indexOf('class="health-banner');
  if (start < 0) return null;
  return html.slice(start, html.indexOf("</p>", start));
}

/** Records one check result for the workspace, as the daily maintenance does. */
async function record(workspaceId: string, provider: string, kind: string, status: "ok" | "warning" | "failing") {
  const hint = status === "ok" ? null : `Fix ${provider} ${kind}.`;
  await recordConnectionCheck(env.DB, {
    workspaceId,
    provider,
    kind,
    status,
    checkedAt: CHECKED,
    errorClass: status === "ok" ? null : `${kind}_${status}`,
    hint,
  });
}

describe("the connection-health banner in the dashboard frame", () => {
  it("shows the count, the worst warning and a link to Connections on every owner page, and goes when fixed", async () => {
    const owner = await signIn(world, { sub: "banner-owner", email: "banner@studio.test" });
    const ws = (await findOwner(env.DB, "banner-owner"))?.workspaceId ?? "";
    expect(ws).not.toBe("");
    // Another workspace's warnings never show here.
    await upsertWorkspace(env.DB, { id: "ws-banner-other", name: "Other Studio", settings: {} });
    await record("ws-banner-other", "stripe", "stripe_endpoint", "failing");
    await record(ws, "google", "auth", "ok");
    expect(banner(await (await owner.browser.fetch("/journeys")).text())).toBeNull();

    await record(ws, "google", "refresh", "warning");
    const one = banner(await (await owner.browser.fetch("/journeys")).text());
    expect(one).toContain('data-warnings="1"');
    expect(one).toContain("1 connection warning</strong> Google: Token refresh (warning).");
    expect(one).toContain('<a href="/connections">See how to fix it on Connections</a>');
    expect(one).toContain("health-warning");

    // A failing check is worse than a warning, whichever came first.
    await record(ws, "hubspot", "auth", "failing");
    await record(ws, "notion", "notion_subscription", "warning");
    for (const path of ["/journeys", "/events", "/insights", "/connections", "/process", "/api/docs"]) {
      const page = await owner.browser.fetch(path);
      expect(page.status, path).toBe(200);
      const shown = banner(await page.text());
      expect(shown, path).toContain('data-warnings="3"');
      expect(shown, path).toContain("3 connection warnings</strong> HubSpot: Access check (failing) and 2 more.");
      expect(shown, path).toContain("health-failing");
      expect(shown, path).toContain("See how to fix them on Connections");
    }

    for (const [provider, kind] of [
      ["google", "refresh"],
      ["hubspot", "auth"],
      ["notion", "notion_subscription"],
    ] as const) {
      await record(ws, provider, kind, "ok");
    }
    expect(banner(await (await owner.browser.fetch("/journeys")).text())).toBeNull();
  });
});
