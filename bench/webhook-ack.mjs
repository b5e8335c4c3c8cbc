// How long the HubSpot receiver takes to acknowledge a delivery under
// `wrangler dev` (local D1), side by side with GET /health in the same run:
// a one-event delivery and a full 100-event batch (events for a stage that
// starts nothing, so only the ack path is measured). Prints medians and the
// ratios; no thresholds.
import { createHmac } from "node:crypto";
import { startWorker } from "../test/e2e/wrangler-dev.ts";

const SECRET = "bench-secret";
const ROUNDS = 40;

function sign(url, body) {
  const timestamp = String(Date.now());
  const signature = createHmac("sha256", SECRET).update(`POST${url}${body}${timestamp}`).digest("base64");
  return { "x-hubspot-signature-v3": signature, "x-hubspot-request-timestamp": timestamp };
}

const worker = await startWorker({
  ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
  HUBSPOT_CLIENT_SECRET: SECRET,
  SEED_FROM_ENV: "true",
  SEED_WORKSPACE_ID: "bench",
  SEED_HUBSPOT_PORTAL_ID: "990001",
  SEED_HUBSPOT_ACCESS_TOKEN: "pat-bench",
});

let eventId = 1;
const events = (n) =>
  Array.from({ length: n }, () => ({
    eventId: eventId++,
    portalId: 990001,
    objectId: 1000 + (eventId % 50),
    subscriptionType: "deal.propertyChange",
    propertyName: "dealstage",
    propertyValue: "appointmentscheduled",
    occurredAt: Date.now(),
  }));

async function time(fn) {
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const response = await fn();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`bench request failed: ${response.status}`);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const url = `${worker.url}/webhooks/hubspot`;
const post = (n) => () => {
  const body = JSON.stringify(events(n));
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...sign(url, body) }, body });
};

try {
  await time(() => fetch(`${worker.url}/health`)); // warm up
  await time(post(1));
  const health = await time(() => fetch(`${worker.url}/health`));
  const one = await time(post(1));
  const hundred = await time(post(100));
  console.log(`median over ${ROUNDS} rounds, same run:`);
  console.log(`  GET /health                  ${health.toFixed(2)} ms`);
  console.log(`  HubSpot ack, 1 event         ${one.toFixed(2)} ms  (${(one / health).toFixed(1)}× /health)`);
  console.log(
    `  HubSpot ack, 100-event batch ${hundred.toFixed(2)} ms  (${(hundred / health).toFixed(1)}× /health, ${(hundred / one).toFixed(1)}× one event)`,
  );
} finally {
  worker.stop();
}
