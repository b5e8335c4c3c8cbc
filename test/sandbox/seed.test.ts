import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedFromEnv } from "../../src/seed/env-seed";
import { findOwner } from "../../src/store/owners";

/** The vars the sandbox writes for the Worker (sandbox/server.ts workerVars). */
const sandboxEnv = (workspace: string, providers: string) => ({
  ...env,
  SANDBOX_URL: "http://127.0.0.1:8789",
  SANDBOX_PROVIDERS: providers,
  SEED_FROM_ENV: "true",
  SEED_WORKSPACE_ID: workspace,
  SEED_HUBSPOT_PORTAL_ID: `99${workspace.slice(-1)}01`,
  SEED_HUBSPOT_ACCESS_TOKEN: "pat-sandbox-token",
  SEED_NOTION_TOKEN: "ntn_sandbox_token",
  SEED_NOTION_BOARD_ID: "board-sandbox",
  SEED_NOTION_WORKSPACE_ID: "notion-ws-sandbox",
  SEED_OWNER_SUB: `owner-${workspace}`,
  SEED_OWNER_EMAIL: "owner@sandbox.test",
});

async function connections(workspace: string) {
  const { results } = await env.DB.prepare(
    "SELECT provider, source, external_account_id FROM connections WHERE workspace_id = ? ORDER BY provider",
  )
    .bind(workspace)
    .all<{ provider: string; source: string; external_account_id: string | null }>();
  return results;
}

describe("the env seed under the sandbox", () => {
  it("marks sandboxed providers' connections 'sandbox', names the Notion workspace and seeds the owner", async () => {
    await seedFromEnv(sandboxEnv("sb-seed-1", "hubspot,notion"), "http://localhost:8787/webhooks/notion");
    expect(await connections("sb-seed-1")).toEqual([
      { provider: "hubspot", source: "sandbox", external_account_id: "99101" },
      { provider: "notion", source: "sandbox", external_account_id: "notion-ws-sandbox" },
    ]);
    expect(await findOwner(env.DB, "owner-sb-seed-1")).toEqual({
      googleSub: "owner-sb-seed-1",
      email: "owner@sandbox.test",
      workspaceId: "sb-seed-1",
    });
  });

  it("removes the sandbox connection of a provider that now runs against the real API", async () => {
    await seedFromEnv(sandboxEnv("sb-seed-2", "hubspot,notion"), "http://localhost:8787/webhooks/notion");
    const { SEED_HUBSPOT_ACCESS_TOKEN: _real, ...hubspotReal } = sandboxEnv("sb-seed-2", "notion");
    await seedFromEnv(hubspotReal, "http://localhost:8787/webhooks/notion");
    expect(await connections("sb-seed-2")).toEqual([
      { provider: "notion", source: "sandbox", external_account_id: "notion-ws-sandbox" },
    ]);
  });

  it("moves an owner who signed in before the seed into the seeded workspace", async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO workspaces (id, name, settings) VALUES ('ws-earlier', 'Earlier', '{}')"),
      env.DB.prepare(
        "INSERT INTO owners (google_sub, email, workspace_id) VALUES ('owner-sb-seed-3', 'owner@sandbox.test', 'ws-earlier')",
      ),
    ]);
    await seedFromEnv(sandboxEnv("sb-seed-3", "hubspot"), "http://localhost:8787/webhooks/notion");
    expect((await findOwner(env.DB, "owner-sb-seed-3"))?.workspaceId).toBe("sb-seed-3");
  });

  it("keeps settings the owner saved when it seeds again (a restart of npm start)", async () => {
    const seeded = { ...sandboxEnv("sb-seed-4", "hubspot"), SEED_HUBSPOT_CLOSED_WON_STAGE: "closedwon" };
    await seedFromEnv(seeded, "http://localhost:8787/webhooks/hubspot");
    await env.DB.prepare("UPDATE workspaces SET settings = json_set(settings, '$.bookingUrl', ?) WHERE id = ?")
      .bind("https://cal.example/intro", "sb-seed-4")
      .run();
    await seedFromEnv(
      { ...seeded, SEED_HUBSPOT_ACCESS_TOKEN: "pat-sandbox-token-2" },
      "http://localhost:8787/webhooks/hubspot",
    );
    const row = await env.DB.prepare("SELECT settings FROM workspaces WHERE id = ?")
      .bind("sb-seed-4")
      .first<{ settings: string }>();
    expect(JSON.parse(row?.settings ?? "{}")).toEqual({
      bookingUrl: "https://cal.example/intro",
      closedWonStage: "closedwon",
    });
  });
});
