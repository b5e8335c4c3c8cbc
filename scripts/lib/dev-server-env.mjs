// The environment `wrangler dev` runs in, for `npm start`, the e2e tests and the benches alike (docs/intake-queue.md,
// "Local traces off").
//
// X_LOCAL_OBSERVABILITY: wrangler 4 turns on a local trace collector by default (Miniflare's `unsafeObservability`,
// read from this variable). It attaches a streaming tail to the Worker and writes every span of every invocation
// (each request, D1 call, queue send, Workflow step) to a SQLite trace store in the same workerd thread as the
// Worker: at 200 Stripe webhooks a second it did 1,869 fsyncs and 33,879 page writes in 10 s, against 82 fsyncs for
// D1. Measured side by side on the same machine (bench/webhook-ack.mjs at the Worker's socket): CPU per `GET /health`
// 1.84 → 1.11 ms and per webhook 3.80–3.90 → 2.07–2.32 ms without it. Nothing in Clientflow reads those local
// traces; deployed Workers keep `[observability]` (wrangler.toml), which this does not touch. A developer who wants
// the local traces sets X_LOCAL_OBSERVABILITY=true: a value already in the environment wins.

/** `base` (usually process.env) with the dev server's defaults, then `extra` on top. */
export function devServerEnv(base, extra = {}) {
  return { ...base, X_LOCAL_OBSERVABILITY: base.X_LOCAL_OBSERVABILITY ?? "false", ...extra };
}
