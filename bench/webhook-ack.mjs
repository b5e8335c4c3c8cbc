// Webhook ack under load (issue 13, Deliver 3): `wrangler dev` (local D1 and Queues) with one seeded workspace
// connected to all three providers, and an open-loop load generator: requests leave on a fixed schedule
// (ACK_RPS a second for ACK_SECONDS, default 200 and 30), never waiting for earlier answers, over an undici
// keep-alive pool. For each provider, GET /health (that provider's baseline) on a fresh dev server, then on another
// fresh one a warm-up delivery and the signed HubSpot, Stripe or Notion deliveries (bench/ack-deliveries.mjs), each
// event valid and unique, and
// of a kind that is recorded and deduped but starts nothing (a HubSpot stage that starts nothing, a Stripe
// customer change, a Notion content change): the ack path and the consumer are measured, not journeys. Latency
// runs from a request's scheduled time to its answer's last byte (so a stalled generator or server counts
// against it, as it would for the provider). After each provider's run the bench waits for the queue to drain,
// then counts what was processed: every accepted delivery must have exactly one webhook_events row, marked
// processed, and exactly one consumer outcome other than "duplicate". Writes bench/results/webhook-ack.json
// (bench/result.mjs). A measurement, not a test: no thresholds fail the run.
import { Agent, request } from "undici";
import { startWorker } from "../test/e2e/wrangler-dev.ts";
import { ACCOUNT, deliveries, NOTION_WORKSPACE, PORTAL, SECRETS } from "./ack-deliveries.mjs";
import { awaitOutcomes, describe, drain, perRequest, warmUpDelivery } from "./ack-measure.mjs";
import { ackVariant } from "./ack-variant.mjs";
import { cpuBetween, cpuReading } from "./cpu.mjs";
import { round, writeResult } from "./result.mjs";
import { runtimeUrl } from "./runtime-socket.mjs";

const RPS = Number(process.env.ACK_RPS ?? 200);
const SECONDS = Number(process.env.ACK_SECONDS ?? 30);
/** How long a provider's queue may take to drain after its run before the bench counts what is missing. */
const DRAIN_MS = Number(process.env.ACK_DRAIN_SECONDS ?? 300) * 1000;
const TARGET_RATIO = 3;
/** Which runs (ACK_TARGETS, comma-separated; default all four): `health` is the baseline of the ratios. */
const TARGETS = (process.env.ACK_TARGETS ?? "health,hubspot,stripe,notion").split(",").filter(Boolean);
/** A Worker variant for the ack path analysis (bench/ack-variant.mjs); a variant's result is not written. */
const VARIANT = ackVariant(process.env.ACK_VARIANT);
/**
 * Where the requests go (ACK_ENTRY): `proxy` (default), the dev server's URL as `npm start` prints it, through
 * wrangler's dev proxy; `runtime`, the Worker's own socket behind that proxy (bench/runtime-socket.mjs), which is
 * what a deployed Worker has (no dev proxy). Written to bench/results/webhook-ack-runtime.json.
 */
const ENTRY = process.env.ACK_ENTRY ?? "proxy";
if (!["proxy", "runtime"].includes(ENTRY)) throw new Error(`ACK_ENTRY is "proxy" or "runtime", not "${ENTRY}"`);

const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: null, pipelining: 1 });

/** Fires `count` requests on a fixed schedule (never waiting for answers) and collects status, latency and body. */
async function openLoop(url, build) {
  const count = RPS * SECONDS;
  const prepared = Array.from({ length: count }, (_, i) => build(i));
  const results = [];
  const pending = [];
  const start = performance.now() + 100;
  let maxLate = 0;
  for (let i = 0; i < count; ) {
    const now = performance.now();
    for (; i < count && start + (i * 1000) / RPS <= now; i++) {
      const due = start + (i * 1000) / RPS;
      maxLate = Math.max(maxLate, now - due);
      const options = prepared[i]
        ? {
            method: "POST",
            headers: { "content-type": "application/json", ...prepared[i].headers },
            body: prepared[i].body,
          }
        : { method: "GET" };
      pending.push(
        request(url, { ...options, dispatcher }).then(
          async (response) => {
            const text = await response.body.text();
            results.push({ status: response.statusCode, ms: performance.now() - due, text });
          },
          (error) => results.push({ status: 0, ms: performance.now() - due, text: String(error) }),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return { results, maxLate };
}

/** The one workspace every dev server seeds, connected to all three providers. */
const SEEDED = {
  ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
  HUBSPOT_CLIENT_SECRET: SECRETS.hubspot,
  STRIPE_WEBHOOK_SECRET: SECRETS.stripe,
  NOTION_WEBHOOK_VERIFICATION_TOKEN: SECRETS.notion,
  SEED_FROM_ENV: "true",
  SEED_WORKSPACE_ID: "bench",
  SEED_HUBSPOT_PORTAL_ID: PORTAL,
  SEED_HUBSPOT_ACCESS_TOKEN: "pat-bench",
  SEED_STRIPE_SECRET_KEY: "sk_test_bench",
  SEED_STRIPE_ACCOUNT_ID: ACCOUNT,
  SEED_NOTION_TOKEN: "secret_bench_token",
  SEED_NOTION_BOARD_ID: "board-bench",
  SEED_NOTION_WORKSPACE_ID: NOTION_WORKSPACE,
};

/** A fresh dev server, warmed up (the seed and the isolate, not counted), and the URL the runs go to (ACK_ENTRY). */
async function freshServer() {
  const worker = await startWorker(SEEDED, VARIANT.options);
  await request(`${worker.url}/health`, { dispatcher }).then((r) => r.body.text());
  const base = ENTRY === "runtime" ? await runtimeUrl(worker.url) : worker.url;
  if (base) return { worker, base };
  await worker.stop();
  throw new Error("the Worker's runtime socket behind the dev proxy was not found");
}

/** Stops a dev server and waits until it no longer answers, so the next server's figures are its own. */
async function stopServer(worker) {
  await worker.stop();
  for (let i = 0; i < 50; i++) {
    const up = await request(`${worker.url}/health`, { dispatcher }).then(
      (r) => r.body.text().then(() => true),
      () => false,
    );
    if (!up) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** GET /health at the same rate: the baseline of the ratios. */
async function measureHealth(base) {
  const before = cpuReading();
  const run = await openLoop(`${base}/health`, () => null);
  const stats = { ...describe(run.results), cpu: perRequest(cpuBetween(before, cpuReading()), run.results.length) };
  console.log(`GET /health   ${JSON.stringify(stats)} (generator late by ≤ ${round(run.maxLate)} ms)`);
  return stats;
}

/**
 * One provider's run on `base` (signed deliveries at the same rate), then the wait for its queue to drain and the
 * count of what was processed; its figures go to `providers[provider]`, with `health`, the /health run before it.
 */
async function measureProvider(provider, worker, base, health, providers) {
  const url = `${base}/webhooks/${provider}`;
  // One delivery first, as `freshServer` sends one /health before /health's run (bench/ack-measure.mjs).
  const warmUp = await warmUpDelivery(url, deliveries[provider](url, RPS * SECONDS), dispatcher);
  if (VARIANT.processed) await drain(worker.state, provider, 1, DRAIN_MS);
  console.log(`${provider.padEnd(13)} first delivery (warm-up, not in the run) ${JSON.stringify(warmUp)}`);
  const before = cpuReading();
  const run = await openLoop(url, (i) => deliveries[provider](url, i));
  const stats = { ...describe(run.results), cpu: perRequest(cpuBetween(before, cpuReading()), run.results.length) };
  const ids = run.results.filter((r) => r.status === 200).map((r) => JSON.parse(r.text).delivery);
  if (!VARIANT.processed) {
    // Nothing reaches the consumer in this variant: the ack is the measure.
    providers[provider] = {
      ...stats,
      accepted: ids.length,
      generatorLateMs: round(run.maxLate),
      warmUp,
      health,
    };
    console.log(`${provider.padEnd(13)} ${JSON.stringify(providers[provider])}`);
    return;
  }
  // The warm-up's event is on the provider's rows too (one row, processed); it is not one of the run's deliveries.
  const drained = await drain(worker.state, provider, ids.length + 1, DRAIN_MS);
  const counts = {
    ...drained,
    rows: drained.rows - 1,
    distinctEvents: drained.distinctEvents - 1,
    processed: drained.processed - 1,
  };
  const outcomes = await awaitOutcomes(() => worker.logs(), ids, 30_000);
  if (process.env.ACK_LOG_KINDS) {
    // Diagnostic: what the Worker printed during the run, by kind (each line reaches wrangler's Node process).
    const kinds = new Map();
    for (const line of worker.logs().split("\n")) {
      const kind = (line.match(/"msg":"([^"]+)"/)?.[1] ?? line.replace(/\d+/g, "#").slice(0, 50)).trim();
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    console.log([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12));
  }
  // Exactly once: one consumer outcome that is not a duplicate (redeliveries may add duplicates), and the
  // event's row recorded and processed (counted over all rows: a fresh database per bench run).
  const once = ids.filter((id) => (outcomes.get(id) ?? []).filter((o) => o !== "duplicate").length === 1).length;
  const exactlyOnce =
    counts.rows === ids.length && counts.processed === ids.length ? once : Math.min(once, counts.processed);
  providers[provider] = {
    ...stats,
    accepted: ids.length,
    ...counts,
    exactlyOnce,
    generatorLateMs: round(run.maxLate),
    warmUp,
    health,
  };
  console.log(`${provider.padEnd(13)} ${JSON.stringify(providers[provider])}`);
}

try {
  const variant = VARIANT.names.length > 0 ? ` (variant ${VARIANT.names.join(", ")})` : "";
  const entry = ENTRY === "runtime" ? "the Worker's runtime socket (no dev proxy)" : "the dev server's URL";
  console.log(`open loop, ${RPS} requests/s for ${SECONDS} s per target, against ${entry}${variant}`);
  // Each provider against GET /health measured just before it, each of the two runs on a fresh dev server of its
  // own, so that both start from the same state. A server's age counts: its Worker's one thread collects what the
  // earlier runs left, and about 60 s into this load (a /health run and then a provider's on one server) its old
  // generation fills and one atomic collection stops the thread for 150-170 ms (docs/intake-queue.md, "The
  // baseline's server"), which a run on a younger server never meets. ACK_SAME_SERVER=1 runs each pair on one
  // server, /health first, as the bench did until 2026-12-01 (an analysis knob).
  const sameServer = process.env.ACK_SAME_SERVER === "1";
  const none = { p99: Number.NaN, fiveXx: 0 };
  const healthRuns = [];
  const providers = {};
  const pairs = ["hubspot", "stripe", "notion"].filter((p) => TARGETS.includes(p));
  for (const provider of pairs.length > 0 ? pairs : [null]) {
    let server = await freshServer();
    try {
      const health = TARGETS.includes("health") ? await measureHealth(server.base) : none;
      if (health !== none) healthRuns.push(health);
      if (provider && !sameServer && health !== none) {
        await stopServer(server.worker);
        server = await freshServer();
      }
      if (provider) await measureProvider(provider, server.worker, server.base, health, providers);
    } finally {
      await stopServer(server.worker);
    }
  }
  const healthStats = healthRuns[0] ?? none;
  if (VARIANT.names.length > 0 || TARGETS.length < 4) {
    // A partial or variant run is an analysis, not the figure the report shows.
    for (const [provider, p] of Object.entries(providers)) {
      console.log(
        `${provider}: p99 ${p.p99} ms, ${round(p.p99 / p.health.p99, 2)}× /health p99 ${p.health.p99} ms just before`,
      );
    }
    process.exitCode = 0;
  } else {
    const names = { hubspot: "HubSpot", stripe: "Stripe", notion: "Notion" };
    const all = Object.values(providers);
    const accepted = all.reduce((n, p) => n + p.accepted, 0);
    const sent = all.reduce((n, p) => n + p.requests, 0);
    const once = all.reduce((n, p) => n + p.exactlyOnce, 0);
    const fiveXx = all.reduce((n, p) => n + p.fiveXx, 0) + healthRuns.reduce((n, h) => n + h.fiveXx, 0);
    const where = ENTRY === "runtime" ? ", at the Worker's socket" : "";
    const summary = [
      ...Object.entries(providers).map(([provider, p]) => {
        const ratio = round(p.p99 / Math.max(p.health.p99, 0.1), 2);
        return {
          measure: `${names[provider]} webhook ack p99 at ${RPS}/s for ${SECONDS} s${ENTRY === "runtime" ? ", at the Worker's socket (no dev proxy)" : ""}`,
          value: p.p99,
          unit: "ms",
          against: `GET /health p99, run just before${sameServer ? " on the same server" : " on a fresh server of its own"}`,
          baseline: p.health.p99,
          ratio,
          target: `≤ ${TARGET_RATIO}×`,
          met: ratio <= TARGET_RATIO,
        };
      }),
      { measure: `5xx answers (webhooks and /health)${where}`, value: fiveXx, target: "0", met: fiveXx === 0 },
      // Diagnostic, no target: each provider's warm-up delivery (its cold path on the fresh server), not in its p99.
      {
        measure: `First delivery on each fresh server, before the timed run (${Object.keys(providers)
          .map((p) => names[p])
          .join(" / ")})${where}`,
        value: Object.values(providers)
          .map((p) => p.warmUp.ms)
          .join(" / "),
        unit: "ms",
      },
      // Diagnostics, no target: CPU of the bench's process tree per request, and the machine's busy share.
      ...[["GET /health", healthStats], ...Object.entries(providers).map(([p, v]) => [`${names[p]} webhooks`, v])]
        .filter(([, v]) => v.cpu)
        .map(([name, v]) => ({
          measure: `CPU per request, ${name}${where} (bench, wrangler, workerd; machine busy ${Math.round(v.cpu.machineBusy * 100)} % of ${v.cpu.cores} cores, ${round(v.cpu.machineStolen * 100, 1)} % stolen by the host)`,
          value: v.cpu.msPerRequest,
          unit: "ms",
          // Each provider against the /health run just before it.
          ...(name === "GET /health" ? {} : { against: "GET /health", baseline: v.health?.cpu?.msPerRequest }),
          ...(name === "GET /health" || !v.health?.cpu
            ? {}
            : { ratio: round(v.cpu.msPerRequest / v.health.cpu.msPerRequest, 2) }),
        })),
      {
        measure: `processed exactly once (accepted deliveries${where})`,
        value: `${once}/${sent}`,
        target: "all",
        met: once === sent && accepted === sent,
      },
    ];
    const result = writeResult(ENTRY === "runtime" ? "webhook-ack-runtime" : "webhook-ack", {
      entry: ENTRY,
      rps: RPS,
      seconds: SECONDS,
      health: healthStats,
      healthRuns,
      providers,
      summary,
    });
    console.table(result.summary);
  }
} finally {
  await dispatcher.close();
}
