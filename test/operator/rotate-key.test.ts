import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";
import { VERIFICATION_PURPOSES } from "../../src/links/verification-purposes";
import type { RotationBatch, RotationCounts } from "../../src/operator/rotate-key";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { getConnection, saveConnection } from "../../src/store/connections";
import { addPendingNotionToken, listPendingNotionTokens } from "../../src/store/notion-platform-tokens";
import {
  notionSubscriptionOf,
  resetNotionSubscription,
  storeNotionSubscriptionToken,
} from "../../src/store/notion-workspace-subscriptions";
import { consumeOAuthState, createOAuthState } from "../../src/store/oauth-states";
import { saveStripeEndpoint, stripeEndpointById } from "../../src/store/stripe-endpoints";
import { captureLogs } from "../world";

const logs = captureLogs();
/** The key being retired (32 bytes, base64) and one neither side knows. */
const OLD = btoa("retired-key-for-rotation-tests!!");
const LOST = btoa("a-key-nobody-has-configured-now!");
const TOKEN = "operator-token-for-tests-0123456789";
const rotating: AppEnv = { ...env, ENCRYPTION_KEY_PREVIOUS: OLD };
const oldKeys = { ENCRYPTION_KEY: OLD };

async function rotate(body: unknown, auth = `Bearer ${TOKEN}`): Promise<Response> {
  const request = new Request("https://clientflow.test/operator/rotate-key", {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return worker.fetch(request, rotating, createExecutionContext());
}

/** Calls the route until done, as `npm run rotate-key` does; sums the counts per table. */
async function rotateAll(limit: number, cursor: unknown = null) {
  const totals: Record<string, RotationCounts> = {};
  let calls = 0;
  for (;;) {
    const response = await rotate({ cursor, limit });
    expect(response.status).toBe(200);
    const batch = (await response.json()) as RotationBatch;
    calls += 1;
    for (const [table, c] of Object.entries(batch.counts)) {
      const t = totals[table] ?? { resealed: 0, current: 0, unreadable: 0 };
      totals[table] = {
        resealed: t.resealed + c.resealed,
        current: t.current + c.current,
        unreadable: t.unreadable + c.unreadable,
      };
    }
    if (!batch.next) return { totals, calls };
    cursor = batch.next;
  }
}

const connection = (workspaceId: string, provider: "hubspot" | "stripe" | "notion" | "google", token: string) => ({
  workspaceId,
  provider,
  externalAccountId: null,
  credentials: { accessToken: token },
  config: {},
  source: "oauth" as const,
});

describe("npm run rotate-key: POST /operator/rotate-key", () => {
  it("re-seals every stored credential under the current key, resumably, and reports what neither key opens", async () => {
    for (const id of ["ws-rot-a", "ws-rot-b", "ws-rot-c"])
      await upsertWorkspace(env.DB, { id, name: id, settings: {} });
    // Under the retired key: three connections, a Stripe endpoint secret, Notion tokens, a connect flow's verifier.
    await saveConnection(env.DB, oldKeys, connection("ws-rot-a", "hubspot", "hs-token-a"));
    await saveConnection(env.DB, oldKeys, connection("ws-rot-a", "stripe", "sk-token-a"));
    await saveConnection(env.DB, oldKeys, connection("ws-rot-a", "notion", "ntn-token-a"));
    // Already under the current key, and one under a key neither side has.
    await saveConnection(env.DB, env, connection("ws-rot-b", "google", "g-token-b"));
    await saveConnection(env.DB, { ENCRYPTION_KEY: LOST }, connection("ws-rot-c", "hubspot", "hs-token-c"));
    const lostBefore = await env.DB.prepare(
      "SELECT credentials FROM connections WHERE workspace_id = 'ws-rot-c'",
    ).first();
    await saveStripeEndpoint(env.DB, oldKeys, {
      id: "ep-rot",
      workspaceId: "ws-rot-a",
      stripeEndpointId: "we_1",
      secret: "whsec_rot",
    });
    await addPendingNotionToken(env.DB, oldKeys, "secret_pending_rot");
    const urlId = await resetNotionSubscription(env.DB, "ws-rot-a");
    await storeNotionSubscriptionToken(env.DB, oldKeys, { workspaceId: "ws-rot-a", urlId }, "secret_ws_rot");
    const flow = await createOAuthState(env.DB, oldKeys, {
      purpose: "connect:hubspot",
      workspaceId: "ws-rot-a",
      sessionHash: null,
      browserBinding: "b",
    });

    // Interrupted after its first batch of two…
    const first = (await (await rotate({ limit: 2 })).json()) as RotationBatch;
    expect(first.counts).toEqual({ connections: { resealed: 2, current: 0, unreadable: 0 } });
    expect(first.next).toMatchObject({ table: "connections" });
    // The first batch also kept the previous key's verification keys (test/operator/retired-purpose-keys.test.ts).
    expect(first.carried).toBe(VERIFICATION_PURPOSES.length);
    // …and resumed from its cursor.
    const rest = await rotateAll(2, first.next);
    expect(rest.totals).toEqual({
      connections: { resealed: 1, current: 1, unreadable: 1 },
      stripe_webhook_endpoints: { resealed: 1, current: 0, unreadable: 0 },
      notion_platform_tokens: { resealed: 1, current: 0, unreadable: 0 },
      notion_workspace_subscriptions: { resealed: 1, current: 0, unreadable: 0 },
      oauth_states: { resealed: 1, current: 0, unreadable: 0 },
      // Sealed under the current key as they were stored.
      retired_purpose_keys: { resealed: 0, current: VERIFICATION_PURPOSES.length, unreadable: 0 },
    });

    // Readable with the current key alone (ENCRYPTION_KEY_PREVIOUS removed), through the stores' own readers.
    const current = { ENCRYPTION_KEY: env.ENCRYPTION_KEY };
    expect((await getConnection(env.DB, current, "ws-rot-a", "hubspot")).credentials.accessToken).toBe("hs-token-a");
    expect((await getConnection(env.DB, current, "ws-rot-a", "stripe")).credentials.accessToken).toBe("sk-token-a");
    expect((await getConnection(env.DB, current, "ws-rot-a", "notion")).credentials.accessToken).toBe("ntn-token-a");
    expect((await getConnection(env.DB, current, "ws-rot-b", "google")).credentials.accessToken).toBe("g-token-b");
    expect((await stripeEndpointById(env.DB, current, "ep-rot"))?.secret).toBe("whsec_rot");
    expect((await listPendingNotionTokens(env.DB, current)).map((t) => t.token)).toEqual(["secret_pending_rot"]);
    expect((await notionSubscriptionOf(env.DB, current, "ws-rot-a"))?.token).toBe("secret_ws_rot");
    expect((await consumeOAuthState(env.DB, current, flow.state))?.codeVerifier).toBe(flow.codeVerifier);
    // The unreadable one is reported and kept as it was, not lost.
    expect(await env.DB.prepare("SELECT credentials FROM connections WHERE workspace_id = 'ws-rot-c'").first()).toEqual(
      lostBefore,
    );

    // A second run changes nothing: everything is current but the unreadable one.
    const again = await rotateAll(50);
    expect(again.calls).toBe(1);
    expect(again.totals.connections).toEqual({ resealed: 0, current: 4, unreadable: 1 });
    for (const table of ["stripe_webhook_endpoints", "notion_platform_tokens", "notion_workspace_subscriptions"]) {
      expect(again.totals[table]).toEqual({ resealed: 0, current: 1, unreadable: 0 });
    }
    expect(logs.join("\n")).not.toMatch(/hs-token|whsec_rot|secret_ws_rot|secret_pending_rot/);
  });

  it("answers only the operator's Bearer token", async () => {
    expect((await rotate({}, "Bearer wrong")).status).toBe(401);
    expect((await rotate({}, `Basic ${btoa(`op:${TOKEN}`)}`)).status).toBe(400);
    expect((await rotate({ cursor: { table: "sessions", after: 0 } })).status).toBe(400);
  });
});
