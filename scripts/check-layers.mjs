#!/usr/bin/env node
// Layer rules (docs/architecture.md): each rule names the files it covers and
// what it forbids there; a violation prints `file:line  rule: reason (detail)`.
// `npm test` runs this (`npm run check:layers`); it exits 1 on any violation.
// Before checking the tree it checks itself on fixtures, so a scanner that
// stopped seeing (say) type-only imports fails loudly instead of passing.
// Usage: node scripts/check-layers.mjs [root]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(["node_modules", ".git", ".wrangler", "dist", "reports"]);
/** Bundles of the checked sources (scripts/build-worker.mjs, src/generated/worker-lazy.js): not hand-written. */
const BUNDLED = /^src\/generated\/.*\.js$/;

/**
 * The rules. `under`: the folders (relative to the root) whose files the rule
 * reads; `check(file)` returns its violations as `{ line, detail }`. `file`
 * has `path` (relative, with /), `text`, `code` (comments blanked, line
 * numbers kept) and `imports` (`{ specifier, line, target }`, `target` being
 * the root-relative path a relative specifier points at, else null).
 */
export const rules = [
  {
    name: "integrations-below-src",
    reason: "integrations/ is the lower layer and imports nothing from src/ (type-only imports included)",
    under: ["integrations"],
    check: (file) =>
      file.imports
        .filter((i) => i.target !== null && isUnder(i.target, "src"))
        .map((i) => ({ line: i.line, detail: `imports "${i.specifier}"` })),
  },
];

/** Whether a root-relative path is `dir` or inside it. */
export function isUnder(relative, dir) {
  return relative === dir || relative.startsWith(`${dir}/`);
}

/** Characters and keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const REGEX_AFTER_WORD = /\b(?:return|typeof|case|do|else|in|of|void|yield|await|delete|throw|new)\s*$/;

/**
 * The source with comments replaced by spaces (newlines kept, so line numbers
 * hold); strings, template literals and regular expressions are left as they
 * are, so a `//` inside a URL or a quote inside a regex does not confuse it.
 */
export function blankComments(text) {
  let out = "";
  let i = 0;
  let last = ""; // the last significant code character
  const copyQuoted = (end) => {
    const start = i++;
    while (i < text.length && text[i] !== end) i += text[i] === "\\" ? 2 : 1;
    i++;
    out += text.slice(start, i);
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") {
        out += " ";
        i++;
      }
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      copyQuoted(c);
      last = c;
    } else if (c === "/" && (last === "" || REGEX_AFTER.has(last) || REGEX_AFTER_WORD.test(out.slice(-12)))) {
      copyQuoted("/");
      last = "/";
    } else {
      out += c;
      i++;
      if (!/\s/.test(c)) last = c;
    }
  }
  return out;
}

/** `from "x"`, `import "x"`, `import("x")`, `require("x")`: every way a module names another. */
const SPECIFIER = /\b(?:from|import|require)\s*\(?\s*(["'])([^"'\n]+)\1/g;

/** The module specifiers of a source file, with their line and (for relative ones) their root-relative target. */
export function importsOf(relativePath, code) {
  const imports = [];
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[2];
    const line = code.slice(0, match.index).split("\n").length;
    const target = specifier.startsWith(".")
      ? path.posix.normalize(path.posix.join(path.posix.dirname(relativePath), specifier))
      : null;
    imports.push({ specifier, line, target });
  }
  return imports;
}

/** A file as the rules read it. */
export function sourceFile(relativePath, text) {
  const code = blankComments(text);
  return { path: relativePath, text, code, imports: importsOf(relativePath, code) };
}

/** Every violation of `ruleList` in `files`, as `{ file, line, rule, reason, detail }`. */
export function violations(ruleList, files) {
  const found = [];
  for (const rule of ruleList) {
    for (const file of files) {
      if (!rule.under.some((dir) => isUnder(file.path, dir))) continue;
      for (const v of rule.check(file)) found.push({ file: file.path, rule: rule.name, reason: rule.reason, ...v });
    }
  }
  return found;
}

/** Source files below `dir` (root-relative paths with /). */
export function walk(root, dir) {
  const files = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) files.push(...walk(root, relative));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") && !BUNDLED.test(relative)) {
      files.push(relative);
    }
  }
  return files;
}

/** Fixtures the scanner must get right: what must be caught, and what must not. */
const SELF_TEST = [
  ["integrations/a.ts", 'import { x } from "../src/errors";', [1]],
  ["integrations/a.ts", 'import type { AppEnv } from "../src/env";', [1]],
  ["integrations/p/b.ts", 'import {\n  a,\n  b,\n} from "../../src/store/x";', [4]],
  ["integrations/p/b.ts", 'export type { A } from "../../src/a";', [1]],
  ["integrations/p/b.ts", 'type E = import("../../src/env").AppEnv;', [1]],
  ["integrations/p/b.ts", 'const m = await import("../../src/m");', [1]],
  ["integrations/p/b.ts", 'import "../../src/side-effect";', [1]],
  ["integrations/p/b.ts", '// import { x } from "../../src/x";\n/* from "../../src/y" */', []],
  ["integrations/p/b.ts", 'const url = "https://x.test//a"; const re = /["\']/; import { y } from "../core/y";', []],
  ["integrations/p/b.ts", 'function f(s) {\n  return /\'/.test(s);\n}\nimport { x } from "../../src/x";', [4]],
  ["integrations/p/b.ts", 'import { z } from "zod"; import { s } from "../../srcs/s";', []],
  ["src/a.ts", 'import { hubspot } from "../integrations/hubspot";', []],
];

/** Runs the rules on the fixtures; returns the failures (empty when the scanner is right). */
export function selfTest() {
  const failures = [];
  for (const [file, text, lines] of SELF_TEST) {
    const got = violations(rules, [sourceFile(file, text)]).map((v) => v.line);
    if (JSON.stringify(got) !== JSON.stringify(lines)) {
      failures.push(
        `${file}: ${JSON.stringify(text)} → lines ${JSON.stringify(got)}, expected ${JSON.stringify(lines)}`,
      );
    }
  }
  return failures;
}

function main() {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const broken = selfTest();
  if (broken.length > 0) {
    console.error("check-layers: the scanner failed its own fixtures:");
    for (const failure of broken) console.error(`  ${failure}`);
    process.exit(1);
  }
  const dirs = [...new Set(rules.flatMap((rule) => rule.under))];
  const files = dirs.flatMap((dir) =>
    walk(root, dir).map((relative) => sourceFile(relative, readFileSync(path.join(root, relative), "utf8"))),
  );
  const found = violations(rules, files);
  for (const v of found) console.error(`${v.file}:${v.line}  ${v.rule}: ${v.reason} (${v.detail})`);
  if (found.length > 0) {
    console.error(`check-layers: ${found.length} violation(s)`);
    process.exit(1);
  }
  console.log(`check-layers: ${rules.length} rule(s), ${files.length} file(s), no violations`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
