import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseWorkspaceSettings, type WorkspaceSettings } from "../../src/settings/workspace-settings";
import { findWorkspace, upsertWorkspace } from "../../src/settings/workspaces";

/** Settings as the fixed onboarding flow's workspaces stored them (its keys are now the preset's inputs). */
const LEGACY = {
  engine: "onboarding",
  invoiceDueDays: 14,
  paymentReminderHours: 48,
  maxPaymentReminders: 50,
  welcomeSubject: "Hi {{client.nickname}}",
  welcomeIntro: "Welcome!",
  deliveryDetails: "Soon.",
  nextSteps: ["Pay {{invoice.total}}"],
  notionStatuses: { onboarding: "Kickoff", inProgress: "Doing" },
  senderName: "Ada",
};

describe("workspace settings", () => {
  it("reads settings that still carry the removed keys: they are dropped, never refused", async () => {
    const settings = parseWorkspaceSettings(JSON.stringify(LEGACY));
    expect(settings).toEqual({ ...parseWorkspaceSettings("{}"), senderName: "Ada" });
    expect(Object.keys(settings)).not.toContain("engine");

    await upsertWorkspace(env.DB, { id: "ws-legacy", name: "Legacy", settings: LEGACY as Partial<WorkspaceSettings> });
    expect((await findWorkspace(env.DB, "ws-legacy"))?.settings).toEqual(settings);
  });

  it("refuses out-of-range values, naming them, and keeps defaults for what is not set", async () => {
    await expect(
      upsertWorkspace(env.DB, { id: "ws-bad-range", name: "Bad", settings: { deliveryDays: 0 } }),
    ).rejects.toThrow(/Invalid setting deliveryDays/);
    expect(await findWorkspace(env.DB, "ws-bad-range")).toBeNull();
    await upsertWorkspace(env.DB, { id: "ws-good", name: "Good", settings: { deliveryDays: 14 } });
    const saved = await findWorkspace(env.DB, "ws-good");
    expect(saved?.settings).toMatchObject({ deliveryDays: 14, closedWonStage: "closedwon", senderName: "The team" });
  });

  it("has no client link by default, refuses placeholder and non-https links at save, and reads a stored placeholder as unset", async () => {
    const defaults = parseWorkspaceSettings("{}");
    expect([defaults.agreementUrl, defaults.bookingUrl, defaults.reviewUrl]).toEqual([null, null, null]);

    const refused = [
      ["reviewUrl", "https://example.com/review", /example\.com is a placeholder address/],
      ["bookingUrl", "https://cal.example.org/intro", /placeholder address/],
      ["agreementUrl", "https://studio.example/terms", /placeholder address/],
      ["reviewUrl", "http://reviews.brightstudio.test/", /must be an https:\/\/ link/],
      ["bookingUrl", "https://localhost:8443/book", /not reachable by a client/],
    ] as const;
    for (const [key, value, message] of refused) {
      await expect(
        upsertWorkspace(env.DB, { id: "ws-links-bad", name: "Bad", settings: { [key]: value } }),
      ).rejects.toThrow(message);
    }
    expect(await findWorkspace(env.DB, "ws-links-bad")).toBeNull();
    // Outside production (the local sandbox) localhost is allowed.
    await upsertWorkspace(
      env.DB,
      { id: "ws-links-local", name: "Local", settings: { bookingUrl: "https://localhost:8443/book" } },
      { allowLocalhost: true },
    );
    expect((await findWorkspace(env.DB, "ws-links-local"))?.settings.bookingUrl).toBe("https://localhost:8443/book");

    // A row an earlier version wrote with the old placeholder default reads as unset.
    await env.DB.prepare("INSERT INTO workspaces (id, name, settings) VALUES (?, 'Old', ?)")
      .bind(
        "ws-links-old",
        JSON.stringify({ reviewUrl: "https://example.com/review", bookingUrl: "https://cal.com/bright" }),
      )
      .run();
    const old = (await findWorkspace(env.DB, "ws-links-old"))?.settings;
    expect(old).toMatchObject({ reviewUrl: null, bookingUrl: "https://cal.com/bright", agreementUrl: null });
  });
});
