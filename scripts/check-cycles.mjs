#!/usr/bin/env node
// Structure rules (docs/architecture.md) that need the whole import graph or
// whole files: no import circle among the Worker's modules (type-only imports
// included), and no source file over 300 lines. `npm test` runs this through
// `npm run check:layers`; it exits 1 on any violation, naming each circle by
// its files and each long file by its length. It checks itself on a fixture
// graph first, so a broken cycle finder fails loudly instead of passing.
// Usage: node scripts/check-cycles.mjs [root]
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sourceFile, walk } from "./check-layers.mjs";

/** The Worker's code (the import-circle rule) and every hand-written source folder (the length rule). */
const GRAPH_DIRS = ["src", "integrations", "webhooks"];
const LENGTH_DIRS = ["src", "integrations", "webhooks", "sandbox", "emulators", "scripts", "bench"];
const MAX_LINES = 300;
/** Generated at build time from src/browser (scripts/build-browser.mjs): not hand-written. */
const GENERATED = /^src\/generated\//;

/** The file a relative specifier names: the path itself, or with .ts/.tsx, or its index. */
function resolveTarget(root, target) {
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`]) {
    const full = path.join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return null;
}

/**
 * The strongly connected components of `graph` (Map node → Set of nodes)
 * that form a circle: two or more modules, or one that imports itself.
 * Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
 */
export function circles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [{ node: start, edges: [...(graph.get(start) ?? [])], i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const next = frame.edges[frame.i++];
        if (!graph.has(next)) continue;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, edges: [...(graph.get(next) ?? [])], i: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(next)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) found.push(component.sort());
    }
  }
  return found;
}

/** Fixture graphs and the circles they must give. */
const SELF_TEST = [
  [{ a: ["b"], b: ["c"], c: [] }, []],
  [{ a: ["b"], b: ["a"] }, [["a", "b"]]],
  [{ a: ["a"] }, [["a"]]],
  [
    { a: ["b"], b: ["c"], c: ["a"], d: ["a"], e: ["f"], f: ["e"] },
    [
      ["a", "b", "c"],
      ["e", "f"],
    ],
  ],
];

function selfTest() {
  const failures = [];
  for (const [edges, expected] of SELF_TEST) {
    const graph = new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));
    const got = circles(graph)
      .map((c) => c.join(","))
      .sort();
    const want = expected.map((c) => c.join(",")).sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      failures.push(`${JSON.stringify(edges)} → ${JSON.stringify(got)}`);
  }
  return failures;
}

function main() {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const broken = selfTest();
  if (broken.length > 0) {
    console.error(`check-cycles: the cycle finder failed its own fixtures: ${broken.join("; ")}`);
    process.exit(1);
  }
  const problems = [];
  const graph = new Map();
  for (const relative of GRAPH_DIRS.flatMap((dir) => walk(root, dir))) {
    if (GENERATED.test(relative)) continue;
    const file = sourceFile(relative, readFileSync(path.join(root, relative), "utf8"));
    const targets = file.imports.flatMap((i) => (i.target ? [resolveTarget(root, i.target)] : [])).filter(Boolean);
    graph.set(relative, new Set(targets));
  }
  for (const circle of circles(graph)) problems.push(`import circle (type-only imports count): ${circle.join(" → ")}`);
  for (const relative of LENGTH_DIRS.flatMap((dir) => (existsSync(path.join(root, dir)) ? walk(root, dir) : []))) {
    if (GENERATED.test(relative)) continue;
    const lines = readFileSync(path.join(root, relative), "utf8").split("\n").length - 1;
    if (lines > MAX_LINES) problems.push(`${relative}: ${lines} lines (at most ${MAX_LINES}: split it by concern)`);
  }
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`check-cycles: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log(`check-cycles: ${graph.size} modules, no import circle, no file over ${MAX_LINES} lines`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
