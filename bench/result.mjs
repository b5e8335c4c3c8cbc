// The one shape every bench writes to bench/results/<name>.json, so that `bench/report.mjs` can print one table
// of all of them. Each result carries the machine, the commit and the date it was measured on, and a `summary`:
// rows of { measure, value, unit, against?, baseline?, ratio?, target?, met? }. A row's ratio is the value over
// the baseline measured side by side in the same run; `met` says whether the target holds for that run.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/** The machine a figure was measured on, e.g. "AMD EPYC × 2, linux 6.18, node v24.21.0". */
export function machine() {
  return `${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, ${os.platform()} ${os.release()}, node ${process.version}`;
}

/** The short commit the bench ran on ("unknown" outside a git checkout). */
export function commit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** Rounds to `digits` decimals, for figures people read. */
export function round(value, digits = 1) {
  return Number(value.toFixed(digits));
}

/**
 * Writes bench/results/<name>.json: date, commit, machine, then `fields` (which must hold `summary`).
 * Formatted as Biome formats JSON, so a committed result passes lint.
 */
export function writeResult(name, fields) {
  if (!Array.isArray(fields.summary)) throw new Error(`bench result ${name} has no summary rows`);
  const result = { date: new Date().toISOString(), commit: commit(), machine: machine(), ...fields };
  const json = JSON.stringify(result, null, 2).replace(
    /\[\s+([-\d.,\s]*?)\s+\]/g,
    (_, list) => `[${list.split(/,\s+/).join(", ")}]`,
  );
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  const file = path.join(root, `bench/results/${name}.json`);
  writeFileSync(file, `${json}\n`);
  // Then as the formatter writes it (short lists of strings too), so a committed result passes `npm run lint`.
  try {
    execFileSync(path.join(root, "node_modules/.bin/biome"), ["format", "--write", file], { stdio: "ignore" });
  } catch {
    // Without Biome the file is still valid JSON; lint would only ask to reformat it.
  }
  return result;
}
