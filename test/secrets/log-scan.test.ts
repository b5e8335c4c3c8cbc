import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { log } from "../../src/log";
import { TEST_BINDINGS as B } from "../bindings";
import { signIn } from "../browser";
import { leakIn, takeLeaks } from "../log-scan";
import {
  captureLogs,
  connectWorkspace,
  dealStageEvent,
  HUBSPOT_TOKEN,
  postHubspot,
  postStripe,
  useWorld,
} from "../world";

/**
 * The log scan of test/setup.ts: what it catches, what it lets through, and
 * a run of the common flows (sign-in, webhook deliveries good and bad) whose
 * every line it passes.
 */
const world = useWorld();
const logs = captureLogs();

describe("the log scan", () => {
  it.each([
    ["the encryption key", `{"msg":"x","reason":"key ${B.ENCRYPTION_KEY}"}`],
    ["a webhook secret", `{"msg":"x","reason":"${B.STRIPE_WEBHOOK_SECRET_PREVIOUS}"}`],
    ["a client secret", `Basic ${B.HUBSPOT_CLIENT_SECRET}`],
    ["the world's HubSpot token", `{"msg":"x","token":"${HUBSPOT_TOKEN}"}`],
    ["an emulator-issued access token", `{"msg":"refresh ok","reason":"Bearer ya29.fake-access-3"}`],
    ["an issued OAuth code", `{"msg":"x","code":"hubspot-code-12"}`],
    [
      "a capability link",
      `{"msg":"x","url":"https://clientflow.test/s/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzcnYifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWdu"}`,
    ],
    ["a client's email", `{"msg":"lead","reason":"duplicate of grace@client.test"}`],
    ["a client's name", `{"msg":"lead","reason":"Grace Hopper asked twice"}`],
    [
      "a raw webhook body",
      `{"msg":"x","reason":"${JSON.stringify('[{"eventId":1,"subscriptionType":"deal.creation"}]').slice(1, -1)}"}`,
    ],
    ["a raw body in a field", JSON.stringify({ msg: "x", body: '{"id":"evt_1","type":"invoice.paid","data":{}}' })],
  ])("catches %s", (_what, line) => {
    expect(leakIn(line)).not.toBeNull();
  });

  it.each([
    '{"level":"info","msg":"owner signed in","tenant":"ws_CY3SVxMESShm"}',
    '{"level":"warn","msg":"webhook rejected","provider":"hubspot","reason":"missing signature header"}',
    '{"level":"info","msg":"request refused","code":"unknown_tenant","status":404}',
    '{"level":"info","msg":"event replayed","provider":"stripe","tenant":"ws-a","eventId":"evt_1NZ8","journeyId":"onb-ws-a-9001"}',
    '{"level":"info","msg":"step failed","step":"hubspot.read-deal","attempt":2,"reason":"IntegrationError: HubSpot 503"}',
  ])("passes %s", (line) => {
    expect(leakIn(line)).toBeNull();
  });

  it("fails a test whose code logs a secret (the line is named)", () => {
    log.info("oops", { reason: B.OPERATOR_TOKEN });
    const leaks = takeLeaks();
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toContain("OPERATOR_TOKEN");
  });

  it("the common flows log nothing that leaks", async ({ task }) => {
    await connectWorkspace(env, "ws-log-scan", "7711001");
    await signIn(world, { sub: "log-scan-owner", email: "log-scan-owner@studio.test", name: "Ada Lovelace" });
    const body = JSON.stringify([dealStageEvent("7711001", "55", "appointmentscheduled", 881)]);
    await postHubspot(body);
    await postHubspot(body, { secret: "wrong-secret" });
    await postHubspot("{not json");
    await postStripe({ id: "evt_scan", type: "invoice.paid", created: 1, data: { object: { id: "in_1" } } });
    await postStripe({ id: "evt_scan_2" }, { secret: "whsec_wrong" });
    const leaking = logs.filter((line) => leakIn(line));
    expect(logs.length).toBeGreaterThan(3);
    expect(leaking).toEqual([]);
    task.meta.reliability = {
      category: "secrets in logs",
      cases: logs.length,
      outcomes: { clean: logs.length - leaking.length, leaking: leaking.length },
      lost: 0,
      doubled: 0,
    };
  });
});
