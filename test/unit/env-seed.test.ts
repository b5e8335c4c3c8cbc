import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedFromEnv } from "../../src/seed/env-seed";
import { findWorkspace } from "../../src/settings/workspaces";
import { getConnection } from "../../src/store/connections";

const seedEnv = (id: string) => ({
  ...env,
  SEED_FROM_ENV: "true",
  SEED_WORKSPACE_ID: id,
  SEED_HUBSPOT_PORTAL_ID: `77${id.length}00`,
  SEED_HUBSPOT_ACCESS_TOKEN: "pat-seeded-token",
  SEED_GOOGLE_REFRESH_TOKEN: "1//seeded-refresh",
  SEED_GOOGLE_EMAIL: "seed@studio.test",
});

describe("env seeding (local development only)", () => {
  it("seeds the workspace with sealed credentials for a loopback request", async () => {
    await seedFromEnv(seedEnv("seed-local"), "http://localhost:8787/webhooks/hubspot");
    expect(await findWorkspace(env.DB, "seed-local")).not.toBeNull();
    const hubspot = await getConnection(env.DB, env, "seed-local", "hubspot");
    expect(hubspot).toMatchObject({ source: "env", credentials: { accessToken: "pat-seeded-token" } });
    const row = await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = 'seed-local'").all<{
      credentials: string;
    }>();
    for (const r of row.results) expect(r.credentials).not.toMatch(/pat-seeded-token|seeded-refresh/);
  });

  it("does nothing on a deployed host, even with SEED_FROM_ENV set", async () => {
    await seedFromEnv(seedEnv("seed-deployed"), "https://clientflow.example.com/webhooks/hubspot");
    expect(await findWorkspace(env.DB, "seed-deployed")).toBeNull();
  });
});
