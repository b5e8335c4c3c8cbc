// One table of every bench result in bench/results/*.json (written through bench/result.mjs): prints it,
// writes it to bench/results/summary.md and puts it into the README between the bench markers, so the README
// always shows the last run. Each row names the machine and commit it was measured on, because figures from
// different runs are not comparable with each other; only a row's own ratio is (measured side by side).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./result.mjs";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/** A figure as people read it: "12.3 ms", "1,000 deals". */
function figure(value, unit) {
  if (value === undefined || value === null) return "";
  const number = typeof value === "number" ? value.toLocaleString("en-US") : String(value);
  return unit ? `${number} ${unit}` : number;
}

/** Every bench result on disk, oldest bench name first (stable order). */
export function readResults(dir = path.join(root, "bench/results")) {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), ...JSON.parse(readFileSync(path.join(dir, file), "utf8")) }))
    .filter((result) => Array.isArray(result.summary));
}

/** The markdown table of all results, and the runs (machine, commit, date) it was measured on. */
export function table(results) {
  const lines = [
    "| Bench | Measure | Value | Against (same run) | Ratio | Target | Met |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const result of results) {
    for (const row of result.summary) {
      const against = row.against ? `${row.against}: ${figure(row.baseline, row.unit)}` : "";
      const ratio = row.ratio === undefined ? "" : `${row.ratio}×`;
      const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
      lines.push(
        `| ${result.name} | ${row.measure} | ${figure(row.value, row.unit)} | ${against} | ${ratio} | ${row.target ?? ""} | ${met} |`,
      );
    }
  }
  const runs = results.map((r) => `- ${r.name}: ${r.date.slice(0, 10)}, commit ${r.commit}, ${r.machine}`);
  return `${lines.join("\n")}\n\nMeasured on:\n\n${runs.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const markdown = table(readResults());
  console.log(markdown);
  writeFileSync(path.join(root, "bench/results/summary.md"), `# Last bench run\n\n${markdown}`);
  const readmePath = path.join(root, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section for the bench table`);
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n\n${markdown}\n${readme.slice(end)}`);
}
