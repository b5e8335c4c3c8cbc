// Runs wrangler for the deploy scripts: the project's own (node_modules) or a stand-in named by
// WRANGLER_BIN (the tests record calls that way). Secret values travel on stdin only, never in argv.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** A failed wrangler command; carries its output for callers that expect some failures (e.g. "not found"). */
export class WranglerError extends Error {
  constructor(args, result) {
    super(
      `wrangler ${args.join(" ")} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().slice(-600)}`,
    );
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/**
 * Runs `wrangler <args>` and returns its stdout. `input` goes to stdin (secret values); without it stdin
 * is empty, so wrangler never waits for an answer (it treats a non-TTY as CI and skips confirmations).
 */
export function wrangler(args, { input = "", quiet = false } = {}) {
  const bin = process.env.WRANGLER_BIN || path.join(root, "node_modules/wrangler/bin/wrangler.js");
  const viaNode = /\.(m?js|cjs)$/.test(bin);
  const result = spawnSync(viaNode ? process.execPath : bin, viaNode ? [bin, ...args] : args, {
    cwd: root,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      // Wrangler's own files stay inside the project (shared/RECIPES.md).
      XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(root, ".wrangler/config"),
      WRANGLER_LOG_PATH: process.env.WRANGLER_LOG_PATH ?? path.join(root, ".wrangler/logs"),
      WRANGLER_SEND_METRICS: "false",
      // The banner asks the npm registry for a newer wrangler: no network a dry run does not need.
      WRANGLER_HIDE_BANNER: "true",
    },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new WranglerError(args, result);
  if (!quiet && result.stdout.trim()) process.stdout.write(indent(result.stdout));
  return result.stdout;
}

/** Wrangler's output, indented under the step that ran it. */
function indent(text) {
  return `${text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n")}\n`;
}

/** The first JSON array or object in a command's output (wrangler may print a banner before it). */
export function parseJsonOutput(stdout) {
  const start = stdout.search(/^\s*[[{]/m);
  if (start < 0) throw new Error(`expected JSON from wrangler, got: ${stdout.slice(0, 200)}`);
  return JSON.parse(stdout.slice(start));
}
