import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { createOAuthState } from "../../src/store/oauth-states";
import { createSession } from "../../src/store/sessions";
import { captureLogs, count, useWorld } from "../world";

useWorld();
const logs = captureLogs();
const DAY = 24 * 60 * 60_000;

describe("the scheduled purge", () => {
  it("deletes expired sessions and OAuth states and old journal rows, keeps the live ones, logs counts only", async () => {
    const now = Date.parse("2026-11-30T03:17:00Z");
    await upsertWorkspace(env.DB, { id: "ws-purge", name: "Purge Studio", settings: {} });
    await env.DB.batch([
      env.DB.prepare("DELETE FROM sessions"),
      env.DB.prepare("DELETE FROM oauth_states"),
      env.DB.prepare("DELETE FROM hubspot_own_writes"),
      env.DB.prepare("DELETE FROM lead_submissions"),
    ]);
    // One live and one expired of each (created with a clock far in the past or close to now).
    const live = await createSession(env.DB, { workspaceId: "ws-purge", googleSub: "purge-owner" }, now);
    await createSession(env.DB, { workspaceId: "ws-purge", googleSub: "purge-owner" }, now - 60 * DAY);
    const flow = { purpose: "sign_in:/", workspaceId: null, sessionHash: null, browserBinding: "b" };
    await createOAuthState(env.DB, env, flow, now);
    await createOAuthState(env.DB, env, flow, now - DAY);
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO hubspot_own_writes (workspace_id, object_type, object_id, written_at) VALUES ('ws-purge', 'deal', '1', ?1), ('ws-purge', 'deal', '2', ?2)",
      ).bind(now - DAY, now - 30 * DAY),
      env.DB.prepare(
        "INSERT INTO lead_submissions (workspace_id, client_key, submitted_at) VALUES ('ws-purge', 'k', ?1), ('ws-purge', 'k', ?2)",
      ).bind(now - 60_000, now - 2 * DAY),
    ]);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await count(env, "sessions")).toBe(1);
    expect(await count(env, "oauth_states")).toBe(1);
    expect(await count(env, "hubspot_own_writes")).toBe(1);
    expect(await count(env, "hubspot_own_writes", "object_id = ?", "1")).toBe(1);
    expect(await count(env, "lead_submissions")).toBe(1);
    expect(live.token).toBeTruthy();
    const line = logs.find((l) => l.includes('"msg":"maintenance purge"'));
    expect(line && JSON.parse(line)).toMatchObject({
      sessions: 1,
      oauthStates: 1,
      hubspotOwnWrites: 1,
      leadSubmissions: 1,
    });
  });
});
