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
});
