import { describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { POLL, useSandboxUi } from "./sandbox-ui";
import { screenshot } from "./screenshots";

const ui = useSandboxUi();
/** The daily maintenance's Cron Trigger (wrangler.toml), run on demand through wrangler dev's /cdn-cgi/handler/scheduled. */
const DAILY_CRON = "17 3 * * *";

describe("connection health in Chromium", () => {
  it("a Google app in testing: the warning with its fix on Connections, the banner, the digest checkbox", async () => {
    const { page, app } = ui;
    // The owner connects their Google account; the OAuth app is in "Testing", so Google names the grant's end.
    app.sandbox.google.refreshTokenExpiresIn = 604799;
    await page.goto("/connect/google");
    await page.getByRole("button", { name: /^Continue as / }).click();
    await page.waitForURL(/\/connections\?connected=google$/);

    // wrangler dev runs a Cron Trigger on demand at /cdn-cgi/handler/scheduled (Miniflare's own route: the
    // Worker is uploaded unbundled, so `--test-scheduled`'s /__scheduled middleware is not in it).
    const ran = await fetch(`${app.appUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(DAILY_CRON)}`);
    expect(ran.status).toBe(200);

    // The banner, in the frame of the Clients page: the count, the worst kind's label, a link to Connections.
    await page.goto("/journeys");
    const banner = page.locator(".health-banner");
    await expect
      .poll(async () => ((await banner.count()) ? banner.innerText() : ""), POLL)
      .toContain("connection warning");
    expect(await banner.innerText()).toContain("Google: Google app publishing (warning)");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "health-banner", { fullPage: false });

    await banner.getByRole("link", { name: /on Connections$/ }).click();
    await page.waitForURL(`${app.appUrl}/connections`);
    const google = page.locator("section", { has: page.getByRole("heading", { name: "Google", exact: true }) });
    const check = google.locator('[data-check="google_testing"]');
    expect(await check.innerText()).toContain("warning");
    expect(await check.innerText()).toContain("Google will end Clientflow's access on");
    expect(await check.innerText()).toContain('"Publish app"');
    expect(await page.locator(".health-banner").count()).toBe(1);

    // The weekly digest: on by default; the owner turns it off, and the page says so.
    const digest = page.getByRole("checkbox", { name: "Send me the weekly digest" });
    expect(await digest.isChecked()).toBe(true);
    await digest.uncheck();
    await page.getByRole("button", { name: "Save digest setting" }).click();
    await page.waitForURL(/\/connections/);
    expect(await page.getByRole("checkbox", { name: "Send me the weekly digest" }).isChecked()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
  });
});
