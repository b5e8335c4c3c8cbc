import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { OWNED_DEAL_PROPERTIES } from "../../integrations/hubspot/prepare";
import { seedFromEnv } from "../../src/seed/env-seed";
import { findWorkspace } from "../../src/settings/workspaces";
import { getConnection } from "../../src/store/connections";
import { HUBSPOT_TOKEN, useWorld } from "../world";

const seedEnv = (id: string) => ({
  ...env,
  SEED_FROM_ENV: "true",
  SEED_WORKSPACE_ID: id,
  SEED_HUBSPOT_PORTAL_ID: `77${id.length}00`,
  SEED_HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
  SEED_GOOGLE_REFRESH_TOKEN: "1//seeded-refresh",
  SEED_GOOGLE_EMAIL: "seed@studio.test",
});

// The provider emulators: seeding a HubSpot account now also creates Clientflow's deal properties in it.
const world = useWorld();

describe("env seeding (local development only)", () => {
  it("seeds the workspace with sealed credentials for a loopback request", async () => {
    await seedFromEnv(seedEnv("seed-local"), "http://localhost:8787/webhooks/hubspot");
    expect(await findWorkspace(env.DB, "seed-local")).not.toBeNull();
    const hubspot = await getConnection(env.DB, env, "seed-local", "hubspot");
    expect(hubspot).toMatchObject({ source: "env", credentials: { accessToken: HUBSPOT_TOKEN } });
    const row = await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = 'seed-local'").all<{
      credentials: string;
    }>();
    for (const r of row.results) expect(r.credentials).not.toMatch(new RegExp(`${HUBSPOT_TOKEN}|seeded-refresh`));
  });

  it("does nothing on a deployed host, even with SEED_FROM_ENV set", async () => {
    await seedFromEnv(seedEnv("seed-deployed"), "https://clientflow.example.com/webhooks/hubspot");
    expect(await findWorkspace(env.DB, "seed-deployed")).toBeNull();
  });
});

describe("env seeding prepares what it connects", () => {
  it("gives the seeded HubSpot account Clientflow's deal properties, as connecting one does", async () => {
    for (const { name } of OWNED_DEAL_PROPERTIES) world.hubspot.dealProperties.delete(name);
    await seedFromEnv(seedEnv("seed-props-1"), "http://localhost:8787/webhooks/hubspot");
    for (const { name } of OWNED_DEAL_PROPERTIES) expect(world.hubspot.dealProperties.has(name), name).toBe(true);
  });
});
