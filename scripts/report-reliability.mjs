// `npm run report:reliability`: runs the reliability suites (test/reliability, and test/fuzz,
// test/access and test/secrets where they exist) in workerd with vitest's JSON reporter, then prints one table of the
// figures each test put in its task meta (`meta.reliability`: category, cases, outcomes, lost,
// doubled). Exits non-zero when a test failed, nothing reported, or anything was lost or doubled.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.join(import.meta.dirname, "..");
const dirs = ["test/reliability", "test/fuzz", "test/access", "test/secrets"].filter((d) =>
  existsSync(path.join(root, d)),
);
const scratch = mkdtempSync(path.join(tmpdir(), "clientflow-reliability-"));
const output = path.join(scratch, "report.json");
const run = spawnSync(
  path.join(root, "node_modules/.bin/vitest"),
  ["run", ...dirs, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);
if (!existsSync(output)) {
  console.error(`vitest wrote no report (exit ${run.status})`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(output, "utf8"));
rmSync(scratch, { recursive: true, force: true });

/** @type {Map<string, {cases: number, outcomes: Record<string, number>, lost: number, doubled: number, failed: number}>} */
const rows = new Map();
const failures = [];
for (const file of report.testResults) {
  for (const test of file.assertionResults) {
    if (test.status === "failed") failures.push(`${path.relative(root, file.name)} › ${test.fullName}`);
    const figures = test.meta?.reliability;
    if (!figures) continue;
    const row = rows.get(figures.category) ?? { cases: 0, outcomes: {}, lost: 0, doubled: 0, failed: 0 };
    row.cases += figures.cases;
    row.lost += figures.lost;
    row.doubled += figures.doubled;
    if (test.status === "failed") row.failed += 1;
    for (const [name, n] of Object.entries(figures.outcomes)) row.outcomes[name] = (row.outcomes[name] ?? 0) + n;
    rows.set(figures.category, row);
  }
}

const lines = [
  "| category | cases | outcomes | lost | doubled |",
  "| --- | ---: | --- | ---: | ---: |",
  ...[...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, r]) => {
      const outcomes = Object.entries(r.outcomes)
        .map(([name, n]) => `${name}: ${n}`)
        .join("; ");
      return `| ${category}${r.failed ? " (FAILED)" : ""} | ${r.cases} | ${outcomes} | ${r.lost} | ${r.doubled} |`;
    }),
];
const total = [...rows.values()].reduce(
  (sum, r) => ({ cases: sum.cases + r.cases, lost: sum.lost + r.lost, doubled: sum.doubled + r.doubled }),
  { cases: 0, lost: 0, doubled: 0 },
);
lines.push(`| **total** | ${total.cases} |  | ${total.lost} | ${total.doubled} |`);
console.log(
  `\nReliability (${dirs.join(", ")}; ${report.numPassedTests} tests passed, ${report.numFailedTests} failed)\n`,
);
console.log(lines.join("\n"));
if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `- ${f}`).join("\n")}`);

if (rows.size === 0) console.error("\nno test reported reliability figures");
if (total.lost || total.doubled) console.error(`\n${total.lost} lost and ${total.doubled} doubled: must be 0`);
if (rows.size === 0 || total.lost || total.doubled || report.numFailedTests > 0 || run.status !== 0) process.exit(1);
