// The signed deliveries of the webhook ack bench (bench/webhook-ack.mjs): one per provider, each event valid and
// unique, and of a kind that is recorded and deduped but starts nothing. The secrets and ids are the bench's own
// seeded workspace's (SEEDED in bench/webhook-ack.mjs).
import { createHmac } from "node:crypto";

export const SECRETS = {
  hubspot: "bench-hubspot-secret",
  stripe: "whsec_bench",
  notion: "secret_bench_notion_verification",
};
export const PORTAL = "990001";
export const ACCOUNT = "acct_bench";
export const NOTION_WORKSPACE = "notion-ws-bench";

const hmac = (secret, text, encoding) => createHmac("sha256", secret).update(text).digest(encoding);

/** One signed delivery per provider; `i` makes its event unique. Signed when built (all within their 5-minute windows). */
export const deliveries = {
  hubspot: (url, i) => {
    const body = JSON.stringify([
      {
        eventId: 500_000 + i,
        subscriptionId: 1,
        portalId: Number(PORTAL),
        objectId: 700_000 + i,
        subscriptionType: "deal.propertyChange",
        propertyName: "dealstage",
        propertyValue: "appointmentscheduled",
        occurredAt: Date.now(),
        attemptNumber: 0,
      },
    ]);
    const timestamp = String(Date.now());
    const signature = hmac(SECRETS.hubspot, `POST${url}${body}${timestamp}`, "base64");
    return { body, headers: { "x-hubspot-signature-v3": signature, "x-hubspot-request-timestamp": timestamp } };
  },
  stripe: (_url, i) => {
    const created = Math.floor(Date.now() / 1000);
    const object = { id: `cus_bench_${i}`, object: "customer", email: null, metadata: {} };
    const event = { id: `evt_bench_${i}`, object: "event", type: "customer.updated", created, account: ACCOUNT };
    const body = JSON.stringify({ ...event, api_version: "2025-10-29", livemode: false, data: { object } });
    return {
      body,
      headers: { "stripe-signature": `t=${created},v1=${hmac(SECRETS.stripe, `${created}.${body}`, "hex")}` },
    };
  },
  notion: (_url, i) => {
    const body = JSON.stringify({
      id: `nev-bench-${i}`,
      type: "page.content_updated",
      timestamp: new Date().toISOString(),
      workspace_id: NOTION_WORKSPACE,
      subscription_id: "sub-bench",
      integration_id: "int-bench",
      entity: { id: `page-bench-${i}`, type: "page" },
      attempt_number: 1,
      api_version: "2025-09-03",
    });
    return { body, headers: { "x-notion-signature": `sha256=${hmac(SECRETS.notion, body, "hex")}` } };
  },
};
