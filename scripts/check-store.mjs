#!/usr/bin/env node
/**
 * Store rules (docs/architecture.md): each rule is a named, self-contained
 * check over the source files it covers, printing `file:line` and why. Every
 * rule first checks itself against its own examples, so a rule that stopped
 * catching what it exists for fails loudly instead of passing quietly.
 * Exits 1 on any violation.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Where application source lives (tests set up their own rows with SQL on purpose). */
const SOURCE_ROOTS = ["src", "webhooks", "integrations", "emulators", "sandbox"];
const SOURCE_FILE = /\.(ts|tsx|mts|js|mjs)$/;
/** Bundles of the checked sources (scripts/build-worker.mjs): their SQL is src/store/'s, inlined. */
const BUNDLED = /^src\/generated\/.*\.js$/;

/** Every source file under `roots`, as repository-relative paths with forward slashes. */
function sourceFiles(roots) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts") && !BUNDLED.test(rel)) files.push(rel);
    }
  };
  for (const root of roots) if (existsSync(path.join(ROOT, root))) walk(root);
  return files.sort();
}

const lineAt = (text, index) => text.slice(0, index).split("\n").length;

/** A `/` after one of these (or after a keyword such as `return`) starts a regular expression, not a division. */
const BEFORE_REGEX = "(,=:[!&|?{};+-*%<>~^";

/**
 * The string and template literals of a source text with the index each
 * starts at; comments and regular expression literals are skipped, so SQL
 * words in a comment or a pattern do not count. A template literal's
 * placeholders are blanked (same length, newlines kept), so indexes into a
 * value still point into the text.
 */
function stringLiterals(text) {
  const found = [];
  const blank = (from, to) => text.slice(from, to).replace(/[^\n]/g, " ");
  // Scans code from `i`; inside a placeholder, returns after the `}` that closes it.
  const code = (start, inPlaceholder) => {
    let i = start;
    let depth = 0;
    let last = "";
    while (i < text.length) {
      const c = text[i];
      const next = text[i + 1];
      if (c === "/" && next === "/") {
        const end = text.indexOf("\n", i);
        i = end < 0 ? text.length : end;
      } else if (c === "/" && next === "*") {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length : end + 2;
      } else if (c === '"' || c === "'") {
        const from = i++;
        while (i < text.length && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
        found.push({ index: from, value: text.slice(from + 1, i) });
        i++;
        last = c;
      } else if (c === "`") {
        i = template(i);
        last = c;
      } else if (
        c === "/" &&
        (BEFORE_REGEX.includes(last) || /\b(return|typeof|case|of|in)\s*$/.test(text.slice(i - 8, i)))
      ) {
        i++;
        let inClass = false;
        while (i < text.length && (inClass || text[i] !== "/") && text[i] !== "\n") {
          if (text[i] === "\\") i++;
          else if (text[i] === "[") inClass = true;
          else if (text[i] === "]") inClass = false;
          i++;
        }
        i++;
        last = "/";
      } else {
        if (inPlaceholder && c === "{") depth++;
        if (inPlaceholder && c === "}" && depth-- === 0) return i + 1;
        if (!/\s/.test(c)) last = c;
        i++;
      }
    }
    return i;
  };
  const template = (from) => {
    let i = from + 1;
    let value = "";
    while (i < text.length && text[i] !== "`") {
      if (text[i] === "\\") {
        value += text.slice(i, i + 2);
        i += 2;
      } else if (text[i] === "$" && text[i + 1] === "{") {
        const end = code(i + 2, true);
        value += blank(i, end);
        i = end;
      } else {
        value += text[i++];
      }
    }
    found.push({ index: from, value });
    return i + 1;
  };
  code(0, false);
  return found;
}

/** A SQL statement as D1 would be handed one (upper-case keywords, as every statement here is written). */
const SQL_STATEMENT =
  /\bSELECT\s+[\w*.,\s()'?]+?\s+FROM\s+\w|\bINSERT\s+INTO\s+\w|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\s+\w|\b(?:CREATE|ALTER|DROP)\s+(?:TABLE|INDEX)\b/;
/** A call that runs SQL: `.prepare(` on anything, `.exec(` / `.batch(` on a D1 binding (`DB`, `db`). */
const D1_CALL = /\.\s*prepare\s*\(|\b(?:DB|db|d1)\s*\.\s*(?:exec|batch)\s*\(/g;

/**
 * Files that still run SQL outside the store until the engine helpers move
 * it (the store functions they need exist: see src/store/journeys.ts and
 * journey-lookups.ts). Temporary: remove each once its file is converted.
 */
const SQL_EXEMPT = new Set([]);

/** Rule: only `src/store/` runs SQL. */
const sqlOnlyInStore = {
  name: "sql-only-in-store",
  files: () => sourceFiles(SOURCE_ROOTS).filter((f) => !f.startsWith("src/store/") && !SQL_EXEMPT.has(f)),
  check(text) {
    const problems = [];
    for (const match of text.matchAll(D1_CALL)) {
      problems.push({ line: lineAt(text, match.index), why: `runs SQL (${match[0].trim()}): call a store function` });
    }
    for (const literal of stringLiterals(text)) {
      const match = SQL_STATEMENT.exec(literal.value);
      if (!match) continue;
      const line = lineAt(text, literal.index + 1 + match.index);
      const excerpt = literal.value.slice(match.index, match.index + 40).replace(/\s+/g, " ");
      problems.push({ line, why: `holds a SQL statement ("${excerpt}…"): SQL lives in src/store/` });
    }
    return problems.sort((a, b) => a.line - b.line);
  },
  examples: {
    bad: [
      'await env.DB.prepare("SELECT id FROM journeys WHERE id = ?").bind(id).first();',
      "await this.env.DB.batch(statements);",
      "const sql = `UPDATE journeys SET status = 'failed' WHERE id = ?`;",
      'const q = "INSERT INTO leads (id) VALUES (?)";',
    ],
    good: [
      "const m = /^(INPUT|SELECT|TEXTAREA)$/.exec(name);",
      "// SELECT id FROM journeys is what the store runs",
      'const label = "Select a board from the list";',
      "const parts = PATTERN.exec(text); const total = a / b; const re = /'/;",
    ],
  },
};

/** Modules a store file may import values from (relative to the repository; "zod" is a package). */
const STORE_VALUE_IMPORTS = [
  /^src\/store\//,
  /^src\/errors\.ts$/,
  /^src\/crypto\//,
  // Where the shared AppError base lives once integrations/ has its own core (issue 9, deliver 3).
  /^integrations\/core\/errors\.ts$/,
  /^zod$/,
];
/** Modules of plain types a store file may import types from (no code, no imports above the store). */
const STORE_TYPE_IMPORTS = [/^integrations\/core\/provider\.ts$/];

/** Each import of a source text: its specifier, whether it imports types only, and its index. */
function importsOf(text) {
  const found = [];
  const statement = /\b(import|export)\s+(type\s+)?([\w*\s{},]*?)\s*from\s*["']([^"']+)["']/g;
  for (const m of text.matchAll(statement)) {
    const names = (m[3] ?? "")
      .replace(/[{}]/g, "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    const typeOnly = Boolean(m[2]) || (names.length > 0 && names.every((n) => n.startsWith("type ")));
    found.push({ specifier: m[4], typeOnly, index: m.index });
  }
  for (const m of text.matchAll(/\bimport\s*(?:\(\s*)?["']([^"']+)["']/g)) {
    found.push({ specifier: m[1], typeOnly: false, index: m.index });
  }
  return found;
}

/** A relative specifier as a repository path (with its `.ts`/`.tsx` extension when the file has one). */
function resolveSpecifier(file, specifier) {
  if (!specifier.startsWith(".")) return specifier;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (existsSync(path.join(ROOT, candidate)) && SOURCE_FILE.test(candidate)) return candidate;
  }
  return /\.\w+$/.test(base) ? base : `${base}.ts`;
}

/** Rule: the store imports nothing above errors, crypto and plain types. */
const storeImportsDown = {
  name: "store-imports-down",
  files: () => sourceFiles(["src/store"]),
  check(text, file = "src/store/example.ts") {
    const problems = [];
    for (const entry of importsOf(text)) {
      const target = resolveSpecifier(file, entry.specifier);
      const allowed = [...STORE_VALUE_IMPORTS, ...(entry.typeOnly ? STORE_TYPE_IMPORTS : [])];
      if (allowed.some((pattern) => pattern.test(target))) continue;
      problems.push({
        line: lineAt(text, entry.index),
        why: `imports ${entry.specifier}: the store imports only store files, errors, crypto, zod and plain types (move the logic to the caller)`,
      });
    }
    return problems;
  },
  examples: {
    bad: [
      'import { log } from "../log";',
      'import type { ProcessTemplate } from "../engine/template-schema";',
      'import {\n  validateTemplate,\n} from "../engine/validate-template";',
      'export { thing } from "../fulfillment/sync";',
    ],
    good: [
      'import { open, type SecretKeys, seal } from "../crypto/secret-box";',
      'import { NotFoundError } from "../errors";',
      'import type { Journey } from "./journeys";',
      'import { z } from "zod";',
    ],
  },
};

/** Every layer rule; the runner below knows nothing about any of them. */
export const RULES = [sqlOnlyInStore, storeImportsDown];

/** A rule that no longer flags its bad examples, or flags a good one, is itself broken. */
function selfCheck(rule) {
  const broken = [];
  for (const text of rule.examples.bad) if (rule.check(text).length === 0) broken.push(`misses: ${text}`);
  for (const text of rule.examples.good) if (rule.check(text).length > 0) broken.push(`flags: ${text}`);
  return broken;
}

function main() {
  let failures = 0;
  for (const rule of RULES) {
    for (const problem of selfCheck(rule)) {
      console.error(`scripts/check-store.mjs [${rule.name}] the rule is broken: it ${problem}`);
      failures++;
    }
    for (const file of rule.files()) {
      for (const { line, why } of rule.check(readFileSync(path.join(ROOT, file), "utf8"), file)) {
        console.error(`${file}:${line} [${rule.name}] ${why}`);
        failures++;
      }
    }
  }
  for (const file of SQL_EXEMPT) {
    const text = existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), "utf8") : "";
    if (sqlOnlyInStore.check(text).length === 0) console.log(`${file}: runs no SQL any more; drop its exemption`);
  }
  if (failures > 0) {
    console.error(`check-store: ${failures} problem${failures === 1 ? "" : "s"}`);
    process.exit(1);
  }
  console.log(`check-store: ${RULES.map((r) => r.name).join(", ")} pass`);
}

main();
