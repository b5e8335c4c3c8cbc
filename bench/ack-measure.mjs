// What the webhook-ack bench (bench/webhook-ack.mjs) computes from a run: latency figures, CPU per request, and
// the exactly-once count read from the local D1 file and the consumer's log.
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { request } from "undici";
import { round } from "./result.mjs";

/** p50/p99/max latency and the answers that were not 2xx (and 5xx, and unreachable) of a run. */
export function describe(results) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? 0;
  return {
    requests: results.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(ms.at(-1) ?? 0),
    non2xx: results.filter((r) => r.status < 200 || r.status >= 300).length,
    fiveXx: results.filter((r) => r.status >= 500).length,
    unreachable: results.filter((r) => r.status === 0).length,
    // What the failures were (a few distinct ones), so a run that lost requests says why.
    failures: [
      ...new Set(
        results.filter((r) => r.status < 200 || r.status >= 300).map((r) => `${r.status} ${r.text.slice(0, 120)}`),
      ),
    ].slice(0, 3),
  };
}

/**
 * The CPU a run used (bench/cpu.mjs: this bench, wrangler, its workerd processes) per request, and how busy the
 * machine's cores were: near 100 % the machine is saturated, and latency grows with the backlog whatever the path.
 */
export function perRequest(cpu, requests) {
  if (!cpu) return null;
  return { ...cpu, msPerRequest: round((cpu.seconds * 1000) / Math.max(requests, 1), 2) };
}

/** The local D1 database file wrangler dev writes (one D1 binding). */
function d1File(state) {
  const dir = path.join(state, "v3/d1/miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  return path.join(dir, file);
}

/** Rows and processed rows of a provider's webhook events, read from the local D1 file. */
function recorded(state, provider) {
  const db = new DatabaseSync(d1File(state), { readOnly: true });
  try {
    return db
      .prepare(
        `SELECT COUNT(*) AS rows, COUNT(DISTINCT event_id) AS distinctEvents,
                COUNT(processed_at) AS processed FROM webhook_events WHERE provider = ?`,
      )
      .get(provider);
  } finally {
    db.close();
  }
}

/** Waits until every accepted delivery's event is recorded and processed, or the drain time is up. */
export async function drain(state, provider, accepted, drainMs) {
  const started = performance.now();
  for (;;) {
    const counts = recorded(state, provider);
    if (counts.processed >= accepted || performance.now() - started > drainMs)
      return { ...counts, drainMs: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The consumer's outcomes per delivery id, from the Worker's log (its "intake batch" lines: each delivery's record). */
export function consumerOutcomes(logs) {
  const byDelivery = new Map();
  for (const line of logs.split("\n")) {
    if (!line.includes('"msg":"intake batch"')) continue;
    for (const entry of JSON.parse(line.slice(line.indexOf("{"))).deliveries) {
      byDelivery.set(entry.delivery, [...(byDelivery.get(entry.delivery) ?? []), entry.outcomes]);
    }
  }
  return byDelivery;
}

/**
 * The consumer's outcomes once every id in `ids` has its record, or `waitMs` has passed: a batch's line is
 * logged after its rows are marked processed, so the last batches' lines may reach the log after `drain`.
 */
export async function awaitOutcomes(logs, ids, waitMs) {
  const started = performance.now();
  for (;;) {
    const outcomes = consumerOutcomes(logs());
    if (ids.every((id) => outcomes.has(id)) || performance.now() - started > waitMs) return outcomes;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * One delivery of a provider before its timed run, as the bench sends one `GET /health` to a fresh server before
 * `/health`'s run. The first delivery on a fresh server takes the receiver's cold path (its code compiled, its schema
 * and HMAC key built, the local queue broker's Durable Object started: 50–80 ms on this machine), and the deliveries
 * scheduled behind it would otherwise count that once-per-isolate cost in the steady-state p99 (docs/intake-queue.md,
 * "A warm-up delivery"). `delivery` is a signed body and headers whose event is not one of the run's. Returns its
 * status and latency, which the bench reports beside the run; any answer but 200 stops the bench.
 */
export async function warmUpDelivery(url, delivery, dispatcher) {
  const started = performance.now();
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...delivery.headers },
    body: delivery.body,
    dispatcher,
  });
  await response.body.text();
  const answered = { status: response.statusCode, ms: round(performance.now() - started) };
  if (answered.status !== 200) throw new Error(`the warm-up delivery to ${url} was answered ${answered.status}`);
  return answered;
}
