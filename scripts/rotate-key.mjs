#!/usr/bin/env node
// `npm run rotate-key`: re-seals every stored credential under the Worker's current ENCRYPTION_KEY.
// The Worker does the work (the keys are its secrets): this script calls its operator route
// POST /operator/rotate-key batch by batch until every table is done, then prints the counts.
//
//   OPERATOR_TOKEN=… npm run rotate-key -- --url https://clientflow.example.com
//   npm run rotate-key -- --local            # `wrangler dev` on http://localhost:8787, token from .dev.vars
//
// Flags: --url <origin> | --local, --batch <n> (values per request, default 50), --restart (ignore saved
// progress). The token comes from OPERATOR_TOKEN or --token-file <path>, never a flag value (shell history).
// Resumable: the cursor is saved after every batch in .wrangler/rotate-key-progress.json (per URL) and an
// interrupted run continues from it; a run started over only skips what is already current.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const defaultProgressFile = path.join(root, ".wrangler", "rotate-key-progress.json");

function parseArgs(argv) {
  const args = { batch: 50, restart: false, local: false, progressFile: defaultProgressFile };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === "--url") args.url = value();
    else if (flag === "--local") args.local = true;
    else if (flag === "--batch") args.batch = Number(value());
    else if (flag === "--token-file") args.tokenFile = value();
    else if (flag === "--restart") args.restart = true;
    else throw new Error(`Unknown flag ${flag}`);
  }
  if (args.local) args.url ??= "http://localhost:8787";
  if (!args.url) throw new Error("Give --url <the Worker's origin> or --local");
  if (!Number.isInteger(args.batch) || args.batch < 1 || args.batch > 500) throw new Error("--batch is 1 to 500");
  return args;
}

/** The operator token: OPERATOR_TOKEN, a file, or (with --local) .dev.vars. */
function operatorToken(args) {
  if (process.env.OPERATOR_TOKEN) return process.env.OPERATOR_TOKEN.trim();
  if (args.tokenFile) return readFileSync(args.tokenFile, "utf8").trim();
  const devVars = path.join(root, ".dev.vars");
  if (args.local && existsSync(devVars)) {
    const line = readFileSync(devVars, "utf8")
      .split("\n")
      .find((l) => l.startsWith("OPERATOR_TOKEN="));
    if (line) return line.slice("OPERATOR_TOKEN=".length).trim().replace(/^"|"$/g, "");
  }
  throw new Error("Set OPERATOR_TOKEN (or --token-file; with --local, OPERATOR_TOKEN in .dev.vars)");
}

function loadProgress(progressFile, url) {
  if (!existsSync(progressFile)) return null;
  const saved = JSON.parse(readFileSync(progressFile, "utf8"));
  return saved.url === url ? saved : null;
}

function saveProgress(progressFile, state) {
  mkdirSync(path.dirname(progressFile), { recursive: true });
  writeFileSync(progressFile, `${JSON.stringify(state, null, 2)}\n`);
}

function add(totals, counts) {
  for (const [table, c] of Object.entries(counts)) {
    totals[table] ??= { resealed: 0, current: 0, unreadable: 0 };
    const t = totals[table];
    t.resealed += c.resealed;
    t.current += c.current;
    t.unreadable += c.unreadable;
  }
}

/**
 * Runs the rotation from the saved cursor (unless `args.restart`), saving it after every batch and
 * removing it when done. `fetchImpl` is injectable for tests. Returns the totals and the unreadable rows.
 */
export async function rotate(args, token, fetchImpl = fetch, out = console) {
  const progressFile = args.progressFile ?? defaultProgressFile;
  const endpoint = new URL("/operator/rotate-key", args.url).toString();
  const saved = args.restart ? null : loadProgress(progressFile, args.url);
  const state = saved ?? { url: args.url, cursor: null, totals: {}, unreadable: [], carried: 0 };
  if (saved?.cursor) out.log(`Resuming from ${saved.cursor.table} after row ${saved.cursor.after}.`);
  for (;;) {
    const response = await fetchImpl(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ cursor: state.cursor, limit: args.batch }),
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`${endpoint} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    const batch = await response.json();
    add(state.totals, batch.counts);
    state.carried = (state.carried ?? 0) + (batch.carried ?? 0);
    state.unreadable.push(...batch.unreadable);
    state.cursor = batch.next;
    if (!batch.next) break;
    saveProgress(progressFile, state);
  }
  rmSync(progressFile, { force: true });
  return state;
}

/** Prints the report; returns how many values were unreadable. */
export function report(state, out = console) {
  const rows = Object.entries(state.totals).map(([table, c]) => ({ table, ...c }));
  out.log("\nKey rotation report (values per table):");
  out.table(rows);
  const unreadable = rows.reduce((n, r) => n + r.unreadable, 0);
  if (unreadable > 0) {
    out.log(`\n${unreadable} value(s) open with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS (left untouched):`);
    for (const u of state.unreadable) out.log(`  ${u.table} rowid ${u.rowid}`);
    out.log("Their owners must reconnect (or restore the key that sealed them and run again).");
  }
  const left = rows.reduce((n, r) => n + r.resealed, 0);
  out.log(
    `\nVerification keys carried forward from ENCRYPTION_KEY_PREVIOUS: ${state.carried ?? 0}` +
      " (links and contract audit signatures made under it keep verifying after it is removed).",
  );
  out.log(`Values this run found under ENCRYPTION_KEY_PREVIOUS: ${left}`);
  if (left === 0) {
    out.log(
      "Nothing is left under ENCRYPTION_KEY_PREVIOUS: it can be removed now" +
        " (npx wrangler secret delete ENCRYPTION_KEY_PREVIOUS). See docs/operations.md, Key rotation.",
    );
  } else {
    out.log(
      "They are re-sealed under ENCRYPTION_KEY now. Run `npm run rotate-key` once more: when it reports" +
        " 0 found under ENCRYPTION_KEY_PREVIOUS, remove it. See docs/operations.md, Key rotation.",
    );
  }
  return unreadable;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const state = await rotate(args, operatorToken(args));
    process.exitCode = report(state) > 0 ? 2 : 0;
  } catch (error) {
    console.error(`rotate-key: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
