// Variants of the Worker for the webhook-ack bench (ACK_VARIANT, comma-separated), to find what delays the ack
// (docs/intake-queue.md, "Ack path analysis"). Measurement only: a variant is built from a patched copy of the
// sources in a scratch folder (never the project's files) or an edited scratch wrangler.toml.
// - `no-consumer`: the intake queue has no consumer, so no batch runs in the isolate during the run (nothing is
//   processed: the bench skips the drain and the exactly-once count).
// - `no-send`: the receivers answer right after verify and parse, without `INTAKE.send` (nothing is processed).
// - `no-portal-read`: HubSpot's receiver skips its D1 read for the unknown-portal 404 (always answers 200).
// - `no-delivery-log`: the consumer logs no `intake batch` line (the exactly-once count, read from those lines,
//   then reads none).
// - `consumer-ack-only`: the consumer acks each batch's messages and does nothing else (no lookups, no D1 writes,
//   no dispatch, no log line: nothing is processed), to tell the consumer's own work from the send, the local
//   queue broker and the consumer's invocation.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root } from "./result.mjs";

const KNOWN = ["no-consumer", "no-send", "no-portal-read", "no-delivery-log", "consumer-ack-only"];

/** Source patches per variant: file → [find, replace]; a find that is missing fails the bench (a stale patch). */
const PATCHES = {
  "no-send": {
    "webhooks/hubspot.ts": ["await sendToIntake(", "await Promise.resolve("],
    "webhooks/stripe.ts": ["await sendToIntake(", "await Promise.resolve("],
    "webhooks/notion.ts": ["await sendToIntake(", "await Promise.resolve("],
  },
  "no-delivery-log": {
    "src/intake/intake-queue.ts": ['log.info("intake batch",', '((..._: unknown[]) => undefined)("intake batch",'],
  },
  "consumer-ack-only": {
    "src/intake/intake-queue.ts": [
      "const prepared = await itemsOfBatch(env, batch.messages);",
      "for (const m of batch.messages) m.ack();\n  if (batch.messages.length > 0) return;\n  const prepared = await itemsOfBatch(env, batch.messages);",
    ],
  },
  "no-portal-read": {
    "webhooks/hubspot.ts": ["if (!(await anyPortalConnected(env, events)))", "if (events.length === 0)"],
  },
};

/** Drops the top-level [[queues.consumers]] table (the deployed environments' tables stay). */
function withoutConsumer(toml) {
  return toml.replace(/^\[\[queues\.consumers\]\]\n(?:(?!\[)[^\n]*\n)*/m, "");
}

/**
 * The variants named in `spec` (e.g. "no-consumer,no-send") as startWorker options, and whether the run's
 * deliveries are processed (so the bench drains and counts them).
 */
export function ackVariant(spec) {
  const names = (spec ?? "").split(",").filter(Boolean);
  for (const name of names) if (!KNOWN.includes(name)) throw new Error(`ACK_VARIANT: unknown ${name} (${KNOWN})`);
  const options = {};
  if (names.includes("no-consumer")) options.editConfig = withoutConsumer;
  const patches = names.flatMap((name) => Object.entries(PATCHES[name] ?? {}));
  if (patches.length > 0) {
    const dir = mkdtempSync(path.join(tmpdir(), "clientflow-ack-variant-"));
    for (const folder of ["src", "webhooks", "integrations", "scripts"]) {
      cpSync(path.join(root, folder), path.join(dir, folder), { recursive: true });
    }
    cpSync(path.join(root, "package.json"), path.join(dir, "package.json")); // src/app.ts reads its version
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    for (const [file, [find, replace]] of patches) {
      const text = readFileSync(path.join(dir, file), "utf8");
      if (!text.includes(find)) throw new Error(`ACK_VARIANT: ${file} no longer contains ${find}`);
      writeFileSync(path.join(dir, file), text.replaceAll(find, replace));
    }
    // The patched copy built as the project's Worker is (scripts/build-worker.mjs in the copy writes its own
    // src/generated/); wrangler's [build] is dropped, so it does not rebuild the project's instead.
    execFileSync(process.execPath, [path.join(dir, "scripts/build-browser.mjs")], { stdio: "inherit" });
    execFileSync(process.execPath, [path.join(dir, "scripts/build-worker.mjs")], { stdio: "inherit" });
    options.main = path.join(dir, "src/generated/index.js");
    const edit = options.editConfig ?? ((toml) => toml);
    options.editConfig = (toml) => edit(toml).replace(/^\[build\]\n(?:(?!\[)[^\n]*\n)*/m, "");
  }
  const processed = !["no-consumer", "no-send", "consumer-ack-only"].some((name) => names.includes(name));
  return { names, options, processed };
}
