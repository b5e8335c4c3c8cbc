import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { PURGE_BATCH_ROWS, purgeExpired } from "../../src/maintenance/purge";
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

  it("blanks webhook payloads after 30 days, deletes dispatched events after 90 and used sign-in states past expiry, in batches, idempotently", async () => {
    const now = Date.parse("2026-11-30T03:17:00Z");
    const iso = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    await upsertWorkspace(env.DB, { id: "ws-purge-events", name: "Purge Events", settings: {} });
    await env.DB.batch([
      env.DB.prepare("DELETE FROM webhook_events"),
      env.DB.prepare("DELETE FROM sign_in_used_states"),
    ]);
    // Enough old rows for several batches, and one of each that must stay.
    const rows = PURGE_BATCH_ROWS * 2 + 7;
    const insert = env.DB.prepare(
      `INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, received_at, processed_at, payload)
       VALUES ('stripe', 'ws-purge-events', ?1, 'stripe.invoice.paid', ?2, ?3, ?4, '{"type":"x"}')`,
    );
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO webhook_events (provider, workspace_id, event_id, event_type, outcome, received_at, processed_at, payload)
       SELECT 'stripe', 'ws-purge-events', 'evt_old_' || i, 'stripe.invoice.paid', 'signalled', ?2, ?2, '{"type":"x"}' FROM n`,
    )
      .bind(rows, iso(120))
      .run();
    await env.DB.batch([
      insert.bind("evt_60d", "signalled", iso(60), iso(60)), // payload blanked, row kept
      insert.bind("evt_10d", "signalled", iso(10), iso(10)), // kept whole
      insert.bind("evt_undispatched", null, iso(120), null), // never dispatched: kept whole for replay
      env.DB.prepare(
        "INSERT INTO sign_in_used_states (state_hash, expires_at) VALUES ('used-old', ?1), ('used-live', ?2)",
      ).bind(now - 60_000, now + 60_000),
    ]);

    const report = await purgeExpired(env, now);
    expect(report).toMatchObject({ webhookEvents: rows, webhookPayloads: 1, signInUsedStates: 1 });
    const left = await env.DB.prepare(
      "SELECT event_id, payload IS NOT NULL AS has_payload FROM webhook_events WHERE workspace_id = 'ws-purge-events' ORDER BY event_id",
    ).all();
    expect(left.results).toEqual([
      { event_id: "evt_10d", has_payload: 1 },
      { event_id: "evt_60d", has_payload: 0 },
      { event_id: "evt_undispatched", has_payload: 1 },
    ]);
    expect(await count(env, "sign_in_used_states")).toBe(1);
    expect(await count(env, "sign_in_used_states", "state_hash = ?", "used-live")).toBe(1);

    // A second run (or one overlapping the first) finds nothing left to do.
    expect(Object.values(await purgeExpired(env, now)).every((n) => n === 0)).toBe(true);
  });
});
